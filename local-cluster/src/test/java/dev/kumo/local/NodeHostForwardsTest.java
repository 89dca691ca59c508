package dev.kumo.local;

import dev.kumo.node.dns.ClusterRecords;
import dev.kumo.node.dns.DnsServer;
import dev.kumo.node.dns.PodRecords;
import dev.kumo.node.dns.QueryHandler;
import dev.kumo.node.dns.Upstream;
import dev.kumo.node.dns.ZoneAnswers;
import dev.kumo.node.image.BusyboxImages;
import dev.kumo.node.proxy.HostCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's ports reach what its agent serves on the host, for real (root, {@code ip}, {@code nft}): a cluster DNS
 * server on the host's address and a free port answers busybox's {@code nslookup} (UDP) and a query through
 * {@code nc} (TCP) sent to the node's address, port 53, from another node (prerouting) and from the node itself
 * (output, as a host-network pod); a port forwarded later joins the same table without taking the first ones away.
 * Its own tag and addresses, so that it runs beside a cluster.
 */
@Tag("containerd")
class NodeHostForwardsTest {
    private static final NodeNetwork NETWORK = NodeNetwork.parse("kumof:10.252.0:10.246");
    private static final String BUSYBOX = BusyboxImages.DEBIAN_BUSYBOX.toString();
    private static final String VERSION_NAME = "dns-version.cluster.local";

    private DnsServer dns;
    private ServerSocket other;

    @BeforeEach
    void needsRoot() throws Exception {
        CriPrerequisites.require();
        NETWORK.create();
        NETWORK.add(1);
        NETWORK.add(2);
    }

    @AfterEach
    void removeNetwork() throws Exception {
        if (dns != null) {
            dns.close();
        }
        if (other != null) {
            other.close();
        }
        if (NodeRuntimeChoice.missingForCri().isEmpty()) {
            NETWORK.remove();
        }
    }

    @Test
    void dnsOnTheNodesAddressReachesTheServerOnTheHostOverUdpAndTcp() throws Exception {
        InetAddress host = InetAddress.getByName(NETWORK.hostAddress());
        ZoneAnswers zone = new ZoneAnswers(new ClusterRecords(Clock.systemUTC()), Name.fromConstantString(
                "cluster.local."), 5, PodRecords.INSECURE, List.of());
        dns = DnsServer.start(new InetSocketAddress(host, 0), new QueryHandler(zone,
                new Upstream(List.of(), Duration.ofSeconds(1))));
        NodeHostForwards forwards = new NodeHostForwards(NETWORK, 1);
        forwards.add(HostForward.udpAndTcp(53, dns.address().getPort()));

        other = new ServerSocket(0, 1, host);
        Thread.ofVirtual().start(this::answerOnce);
        forwards.add(List.of(HostForward.tcp(10250, other.getLocalPort())));

        String node1 = NETWORK.address(1);
        for (String from : List.of(NETWORK.namespace(2), NETWORK.namespace(1))) {
            assertThat(run(from, List.of(BUSYBOX, "nslookup", "-type=txt", VERSION_NAME, node1), ""))
                    .as("UDP from %s", from).contains("1.1.0");
            assertThat(run(from, List.of(BUSYBOX, "nc", "-w", "5", node1, "53"), framedQuery()))
                    .as("TCP from %s", from).contains("1.1.0");
        }
        assertThat(run(NETWORK.namespace(2), List.of(BUSYBOX, "nc", "-w", "5", node1, "10250"), ""))
                .as("the port forwarded later").contains("forwarded");
    }

    private void answerOnce() {
        try (Socket socket = other.accept(); OutputStream out = socket.getOutputStream()) {
            out.write("forwarded\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the nc that waited for it fails the test
        }
    }

    /**
     * A TXT query for {@value #VERSION_NAME} with its TCP length prefix, as text: every byte of it is below 0x80
     * (id 0x0101, only RD set), so it passes a process's standard input unchanged.
     */
    private static String framedQuery() throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(VERSION_NAME + "."), Type.TXT, DClass.IN));
        query.getHeader().setID(0x0101);
        assertThat(query.getHeader().getFlag(Flags.RD)).isTrue();
        byte[] wire = query.toWire();
        byte[] framed = new byte[wire.length + 2];
        framed[0] = (byte) (wire.length >>> 8);
        framed[1] = (byte) wire.length;
        System.arraycopy(wire, 0, framed, 2, wire.length);
        for (byte b : framed) {
            assertThat(b).as("a byte of the query").isBetween((byte) 0, (byte) 0x7f);
        }
        return new String(framed, StandardCharsets.US_ASCII);
    }

    private static String run(String namespace, List<String> argv, String input) throws Exception {
        HostCommand.Result result = new HostCommand(namespace).run(argv, input);
        assertThat(result.succeeded()).as("%s in %s: %s", argv, namespace, result.output()).isTrue();
        return result.output();
    }
}
