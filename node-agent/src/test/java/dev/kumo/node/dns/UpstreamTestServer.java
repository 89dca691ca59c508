package dev.kumo.node.dns;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small DNS server over UDP on loopback, in the role of the host's resolver that cluster DNS forwards to: it
 * answers A queries for the names it is given and NXDOMAIN for the rest, and counts what it was asked.
 */
final class UpstreamTestServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<Name, InetAddress> names;
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;

    UpstreamTestServer(Map<String, String> names) {
        try {
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.names = names.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    entry -> Name.fromConstantString(entry.getKey()), entry -> address(entry.getValue())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = Thread.ofVirtual().name("upstream-test-dns").start(this::serve);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    int queries() {
        return queries.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(new byte[Message.MAXLENGTH], Message.MAXLENGTH);
            try {
                socket.receive(packet);
                queries.incrementAndGet();
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.RA);
                response.addRecord(question, Section.QUESTION);
                InetAddress address = names.get(question.getName());
                if (address == null) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                } else if (question.getType() == Type.A) {
                    response.addRecord(new ARecord(question.getName(), DClass.IN, 60, address), Section.ANSWER);
                }
                byte[] wire = response.toWire(512);
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByAddress(org.xbill.DNS.Address.toByteArray(literal, org.xbill.DNS.Address.IPv4));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join();
    }
}
