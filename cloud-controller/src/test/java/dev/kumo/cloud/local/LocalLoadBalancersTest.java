package dev.kumo.cloud.local;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.LoadBalancerRequest;
import dev.kumo.cloud.LoadBalancerStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalLoadBalancersTest {
    @TempDir
    Path home;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private LocalLoadBalancers balancers;
    private int nodePort;

    @BeforeEach
    void setUp() throws IOException {
        balancers = new LocalLoadBalancers(home.resolve("load-balancers.json"));
        closing.add(balancers);
        nodePort = NodePortServer.freePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private NodePortServer node(String name, String address) throws IOException {
        NodePortServer server = new NodePortServer(name, address, nodePort);
        closing.add(server);
        return server;
    }

    private LoadBalancerRequest request(int servicePort, String... addresses) {
        List<LoadBalancerRequest.Target> targets = new ArrayList<>();
        for (String address : addresses) {
            targets.add(new LoadBalancerRequest.Target("kumo-local:///" + address, address));
        }
        return new LoadBalancerRequest("a1234", "default/web",
                List.of(new LoadBalancerRequest.Port("http", "TCP", servicePort, nodePort)), targets);
    }

    @Test
    void bytesFlowBothWaysThroughTheListenerWithHalfClose() throws Exception {
        node("node-1", "127.0.0.1");
        int servicePort = NodePortServer.freePort();

        LoadBalancerStatus status = balancers.ensure(request(servicePort, "127.0.0.1"));

        assertThat(status.ingress()).containsExactly(new LoadBalancerStatus.Ingress("127.0.0.1", null));
        assertThat(balancers.listenerPorts("a1234")).containsEntry("TCP/" + servicePort, servicePort);
        // The backend answers only after the client's EOF: the half-close must cross the proxy, the answer too.
        String big = "x".repeat(200_000);
        assertThat(NodePortServer.call(servicePort, big)).isEqualTo("node-1:" + big);
    }

    @Test
    void connectionsAreSpreadOverTheTargetsAndARefusingTargetIsSkipped() throws Exception {
        node("node-1", "127.0.0.1");
        node("node-2", "127.0.0.2");
        int servicePort = NodePortServer.freePort();
        // 127.0.0.3 has nothing on the node port: it refuses, and the next target takes the connection.
        balancers.ensure(request(servicePort, "127.0.0.1", "127.0.0.3", "127.0.0.2"));

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(NodePortServer.call(servicePort, "hi"));
        }

        assertThat(answers).allMatch(a -> a.equals("node-1:hi") || a.equals("node-2:hi"));
        assertThat(answers).filteredOn("node-1:hi"::equals).hasSizeGreaterThanOrEqualTo(2);
        assertThat(answers).filteredOn("node-2:hi"::equals).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void targetsFollowEnsureWithoutMovingTheListener() throws Exception {
        node("node-1", "127.0.0.1");
        node("node-2", "127.0.0.2");
        int servicePort = NodePortServer.freePort();
        balancers.ensure(request(servicePort, "127.0.0.1", "127.0.0.2"));

        balancers.ensure(request(servicePort, "127.0.0.2"));

        assertThat(balancers.listenerPorts("a1234")).containsEntry("TCP/" + servicePort, servicePort);
        for (int i = 0; i < 3; i++) {
            assertThat(NodePortServer.call(servicePort, "hi")).isEqualTo("node-2:hi");
        }
    }

    @Test
    void aPrivilegedOrTakenServicePortGetsAFreePortThatStaysAcrossEnsuresAndRestarts() throws Exception {
        node("node-1", "127.0.0.1");
        balancers.ensure(request(80, "127.0.0.1"));
        int chosen = balancers.listenerPorts("a1234").get("TCP/80");
        assertThat(chosen).isGreaterThanOrEqualTo(LocalLoadBalancers.FIRST_UNPRIVILEGED_PORT);
        assertThat(NodePortServer.call(chosen, "hi")).isEqualTo("node-1:hi");

        balancers.ensure(request(80, "127.0.0.1"));
        assertThat(balancers.listenerPorts("a1234")).containsEntry("TCP/80", chosen);

        balancers.close(); // the cluster stops; a new process reads the same state file
        LocalLoadBalancers restarted = new LocalLoadBalancers(home.resolve("load-balancers.json"));
        closing.add(restarted);
        assertThat(restarted.find("a1234")).isPresent();
        restarted.ensure(request(80, "127.0.0.1"));
        assertThat(restarted.listenerPorts("a1234")).containsEntry("TCP/80", chosen);
        assertThat(NodePortServer.call(chosen, "again")).isEqualTo("node-1:again");
    }

    @Test
    void aPortDroppedFromTheServiceClosesItsListener() throws Exception {
        node("node-1", "127.0.0.1");
        int first = NodePortServer.freePort();
        int second = NodePortServer.freePort();
        while (second == first) { // two probes in a row may be handed the same free port
            second = NodePortServer.freePort();
        }
        balancers.ensure(request(first, "127.0.0.1"));

        balancers.ensure(request(second, "127.0.0.1"));

        assertThat(balancers.listenerPorts("a1234")).containsOnlyKeys("TCP/" + second);
        assertThatThrownBy(() -> NodePortServer.call(first, "hi")).isInstanceOf(ConnectException.class);
        assertThat(NodePortServer.call(second, "hi")).isEqualTo("node-1:hi");
    }

    @Test
    void deleteClosesTheListenerAndItsOpenConnections() throws Exception {
        node("node-1", "127.0.0.1");
        int servicePort = NodePortServer.freePort();
        balancers.ensure(request(servicePort, "127.0.0.1"));
        Socket open = new Socket("127.0.0.1", servicePort);
        open.setSoTimeout(10_000);
        open.getOutputStream().write("pending".getBytes(StandardCharsets.UTF_8));

        balancers.delete("a1234");

        assertThat(balancers.find("a1234")).isEmpty();
        assertThatThrownBy(() -> NodePortServer.call(servicePort, "hi")).isInstanceOf(ConnectException.class);
        // The open connection is cut: reading it ends (EOF or reset) well before its 10 s timeout would. The backend
        // may have answered "pending" before the cut, so what arrived first does not matter, only that it ends.
        try (open) {
            try {
                open.getInputStream().readAllBytes();
            } catch (java.net.SocketException reset) {
                // cut with a reset: ended as well
            }
        }
        balancers.delete("a1234"); // already gone: not an error
    }

    @Test
    void udpIsRefusedAsNotRetryable() {
        LoadBalancerRequest udp = new LoadBalancerRequest("a1234", "default/dns",
                List.of(new LoadBalancerRequest.Port("dns", "UDP", 5353, nodePort)), List.of());

        assertThatThrownBy(() -> balancers.ensure(udp)).isInstanceOfSatisfying(CloudException.class,
                e -> assertThat(e.retryable()).isFalse()).hasMessageContaining("UDP/5353");
        assertThat(balancers.find("a1234")).isEmpty();
    }

    @Test
    void concurrentEnsuresOfOneLoadBalancerOpenOneListener() throws Exception {
        node("node-1", "127.0.0.1");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> {
                    balancers.ensure(request(80, "127.0.0.1"));
                    return balancers.listenerPorts("a1234").get("TCP/80");
                });
            }
            Set<Integer> ports = new HashSet<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                ports.add(f.get());
            }
            assertThat(ports).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
