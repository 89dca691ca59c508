package dev.kumo.node.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DNS over UDP and TCP on one address and port (port 0: a free one, the same for both), each query handled on its
 * own virtual thread by a {@link QueryHandler}. UDP responses are truncated (TC) to 512 bytes or the query's EDNS
 * size; TCP connections carry length-prefixed messages (RFC 7766) until the client closes or stays idle.
 */
public final class DnsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
    /** How long an idle TCP connection is kept (RFC 7766 recommends seconds, not minutes). */
    private static final int TCP_IDLE_MILLIS = 10_000;
    private static final int BIND_ATTEMPTS = 10;

    private final QueryHandler handler;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final InetSocketAddress address;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final List<Thread> listeners = new ArrayList<>();
    private volatile boolean closed;

    private DnsServer(QueryHandler handler, DatagramSocket udp, ServerSocket tcp) {
        this.handler = handler;
        this.udp = udp;
        this.tcp = tcp;
        this.address = (InetSocketAddress) udp.getLocalSocketAddress();
    }

    /** Binds UDP and TCP on {@code address} and starts serving. */
    public static DnsServer start(InetSocketAddress address, QueryHandler handler) throws IOException {
        IOException failure = null;
        for (int attempt = 0; attempt < (address.getPort() == 0 ? BIND_ATTEMPTS : 1); attempt++) {
            DatagramSocket udp = new DatagramSocket(address);
            try {
                ServerSocket tcp = new ServerSocket();
                tcp.setReuseAddress(true);
                try {
                    tcp.bind(new InetSocketAddress(address.getAddress(), udp.getLocalPort()));
                } catch (IOException e) {
                    tcp.close();
                    throw e;
                }
                DnsServer server = new DnsServer(handler, udp, tcp);
                server.listen();
                return server;
            } catch (BindException e) {
                udp.close(); // the free UDP port is taken for TCP: another one
                failure = e;
            } catch (IOException | RuntimeException e) {
                udp.close();
                throw e;
            }
        }
        throw failure;
    }

    /** Where it serves (UDP and TCP). */
    public InetSocketAddress address() {
        return address;
    }

    private void listen() {
        listeners.add(Thread.ofVirtual().name("dns-udp-" + address().getPort()).start(this::receiveUdp));
        listeners.add(Thread.ofVirtual().name("dns-tcp-" + address().getPort()).start(this::acceptTcp));
        LOG.atInfo().addKeyValue("address", address()).log("cluster DNS serving over UDP and TCP");
    }

    private void receiveUdp() {
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(new byte[Message.MAXLENGTH], Message.MAXLENGTH);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.atError().addKeyValue("address", address()).setCause(e).log("receiving over UDP failed");
                }
                return;
            }
            byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
            InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
            Thread.ofVirtual().start(() -> answerUdp(data, client));
        }
    }

    private void answerUdp(byte[] data, InetSocketAddress client) {
        Message query = parse(data, client.toString());
        if (query != null && query.getHeader().getFlag(Flags.QR)) {
            return; // a response is never answered: two servers would bounce it forever
        }
        byte[] response = query == null ? formerr(data)
                : handler.handle(query, client.toString()).toWire(QueryHandler.maxUdpLength(query));
        if (response == null) {
            return;
        }
        try {
            udp.send(new DatagramPacket(response, response.length, client));
        } catch (IOException e) {
            if (!closed) {
                LOG.atWarn().addKeyValue("client", client).log("sending a UDP response failed: " + e.getMessage());
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.atError().addKeyValue("address", address()).setCause(e).log("accepting over TCP failed");
                }
                return;
            }
            connections.add(socket);
            Thread.ofVirtual().start(() -> serveTcp(socket));
        }
    }

    private void serveTcp(Socket socket) {
        String client = String.valueOf(socket.getRemoteSocketAddress());
        try (socket) {
            socket.setSoTimeout(TCP_IDLE_MILLIS);
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException e) {
                    return; // the client is done, or idle
                }
                byte[] data = in.readNBytes(length);
                if (data.length < length) {
                    return;
                }
                Message query = parse(data, client);
                byte[] response = query == null ? formerr(data) : handler.handle(query, client).toWire();
                if (response == null) {
                    return;
                }
                // length and message in one write: two small writes meet Nagle and delayed ACKs (40 ms a query)
                byte[] framed = new byte[response.length + 2];
                framed[0] = (byte) (response.length >>> 8);
                framed[1] = (byte) response.length;
                System.arraycopy(response, 0, framed, 2, response.length);
                out.write(framed);
                out.flush();
            }
        } catch (SocketException e) {
            if (!closed) {
                LOG.atDebug().addKeyValue("client", client).log("TCP connection ended: " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("client", client).log("serving a TCP connection failed: " + e.getMessage());
        } finally {
            connections.remove(socket);
        }
    }

    /** The query in {@code data}, or null for a malformed one. */
    private static Message parse(byte[] data, String client) {
        try {
            return new Message(data);
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("client", client).log("malformed DNS query: " + e.getMessage());
            return null;
        }
    }

    /** FORMERR for a malformed query whose id can be read; null when not even that. */
    private static byte[] formerr(byte[] data) {
        if (data.length < 2) {
            return null;
        }
        Message formerr = new Message(((data[0] & 0xff) << 8) | (data[1] & 0xff));
        formerr.getHeader().setFlag(Flags.QR);
        formerr.getHeader().setRcode(Rcode.FORMERR);
        return formerr.toWire();
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("address", address()).log("closing the TCP listener failed: " + e.getMessage());
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.atDebug().addKeyValue("client", socket.getRemoteSocketAddress())
                        .log("closing a TCP connection failed: " + e.getMessage());
            }
        }
        for (Thread listener : listeners) {
            try {
                listener.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.atInfo().addKeyValue("address", address()).log("cluster DNS stopped");
    }
}
