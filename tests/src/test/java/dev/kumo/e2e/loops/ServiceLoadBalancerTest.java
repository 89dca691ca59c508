package dev.kumo.e2e.loops;

import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.SharedNodeCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service controller with the local provider's load balancers on the local cluster, through the real kubectl:
 * {@code kubectl expose --type=LoadBalancer} gets {@code EXTERNAL-IP 127.0.0.1} and a listener on the Service's port;
 * {@code kubectl delete} waits for the cleanup finalizer, after which the port refuses connections. (The simulated
 * nodes serve no NodePorts, so no bytes reach a pod here; {@code ServiceControllerTest} sends them through real
 * stand-in NodePorts.)
 */
@ExtendWith(SharedNodeCluster.class)
class ServiceLoadBalancerTest {
    private static final Duration LOOPS = Duration.ofSeconds(120);

    private final KumoCluster cluster;

    ServiceLoadBalancerTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void aLoadBalancerServiceGetsAListenerOnLoopbackUntilItIsDeleted() throws IOException {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("load-balancer");
        int port = freePort();
        kubectl.run("create", "deployment", "web", "--image=nginx:1.27", "-n", ns).ok();
        kubectl.run("expose", "deployment", "web", "--type=LoadBalancer", "--port=" + port, "--target-port=80",
                "-n", ns).ok();

        String row = Poll.until(LOOPS, "EXTERNAL-IP 127.0.0.1 of service web",
                () -> kubectl.run("get", "svc", "web", "-n", ns, "--no-headers").ok().out(),
                out -> out.split("\\s+").length > 3 && out.split("\\s+")[3].equals("127.0.0.1"));
        assertThat(row).matches("web\\s+LoadBalancer\\s+10\\.\\d+\\.\\d+\\.\\d+\\s+127\\.0\\.0\\.1\\s+" + port
                + ":3\\d{4}/TCP\\s+.*\\n");
        assertThat(connects(port)).as("the listener accepts on 127.0.0.1:" + port).isTrue();
        assertThat(kubectl.run("get", "svc", "web", "-n", ns, "-o", "jsonpath={.metadata.finalizers}").ok().out())
                .contains("service.kubernetes.io/load-balancer-cleanup");
        String events = kubectl.run("get", "events", "-n", ns, "--field-selector", "involvedObject.name=web")
                .ok().out();
        assertThat(events).contains("EnsuringLoadBalancer").contains("EnsuredLoadBalancer");

        kubectl.run("delete", "svc", "web", "-n", ns, "--timeout=120s").ok(); // waits for the finalizer to go

        assertThat(kubectl.run("get", "svc", "web", "-n", ns).failed().err()).contains("NotFound");
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    private static boolean connects(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return true;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
