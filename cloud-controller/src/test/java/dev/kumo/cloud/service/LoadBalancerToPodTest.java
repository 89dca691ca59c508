package dev.kumo.cloud.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.cloud.local.LocalLoadBalancers;
import dev.kumo.cloud.local.NodePortServer;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.controllers.testing.TestCluster;
import dev.kumo.node.proxy.ProxyConfig;
import dev.kumo.node.proxy.ServiceProxier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole data path of a local load balancer: a connection to its listener on 127.0.0.1 goes to the node's
 * address and NodePort, where the node agent's Service proxy (nftables in the node's network namespace) sends it to
 * the pod, a server in a namespace of its own behind the node. The node is joined to this host by a veth, as the
 * local cluster's nodes in their own namespaces will be. Needs root, nft, iproute2 and python3 (the pod's server);
 * skipped without them, failed under {@code CI=true}.
 */
class LoadBalancerToPodTest {
    private static final String NODE_ADDRESS = "10.252.77.2";
    private static final String HOST_ADDRESS = "10.252.77.1";
    private static final String POD_GATEWAY = "10.244.250.1";
    private static final String POD_ADDRESS = "10.244.250.2";

    @TempDir
    Path home;

    private final String id = UUID.randomUUID().toString().substring(0, 6);
    private final String nodeNs = "kumo-lbt-node-" + id;
    private final String podNs = "kumo-lbt-pod-" + id;
    private final String hostLink = "klbt" + id;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestCluster cluster;

    @BeforeEach
    void topology() throws Exception {
        requirePrerequisites();
        run("ip", "netns", "add", nodeNs);
        run("ip", "netns", "add", podNs);
        run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "eth0", "netns", nodeNs);
        run("ip", "addr", "add", HOST_ADDRESS + "/24", "dev", hostLink);
        run("ip", "link", "set", hostLink, "up");
        run("ip", "-n", nodeNs, "link", "set", "lo", "up");
        run("ip", "-n", nodeNs, "addr", "add", NODE_ADDRESS + "/24", "dev", "eth0");
        run("ip", "-n", nodeNs, "link", "set", "eth0", "up");
        run("ip", "-n", nodeNs, "route", "add", "default", "via", HOST_ADDRESS);
        run("ip", "-n", nodeNs, "link", "add", "pod0", "type", "veth", "peer", "name", "eth0", "netns", podNs);
        run("ip", "-n", nodeNs, "addr", "add", POD_GATEWAY + "/24", "dev", "pod0");
        run("ip", "-n", nodeNs, "link", "set", "pod0", "up");
        run("ip", "-n", podNs, "link", "set", "lo", "up");
        run("ip", "-n", podNs, "addr", "add", POD_ADDRESS + "/24", "dev", "eth0");
        run("ip", "-n", podNs, "link", "set", "eth0", "up");
        run("ip", "-n", podNs, "route", "add", "default", "via", POD_GATEWAY);
        // The pod: answers "pod:<request>" once the client has sent all of it (half-close).
        Process pod = new ProcessBuilder("ip", "netns", "exec", podNs, "python3", "-c", """
                import socket
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("0.0.0.0", 8080))
                s.listen(16)
                while True:
                    c, _ = s.accept()
                    data = b""
                    while True:
                        d = c.recv(65536)
                        if not d:
                            break
                        data += d
                    c.sendall(b"pod:" + data)
                    c.close()
                """).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        closing.add(pod::destroyForcibly);
        cluster = new TestCluster();
        closing.add(cluster);
    }

    @AfterEach
    void removeTopology() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        if (HostRoutesAccess.root()) {
            runQuietly("ip", "netns", "del", podNs);
            runQuietly("ip", "netns", "del", nodeNs); // takes the veth to the host with it
        }
    }

    @Test
    void aConnectionToTheListenerReachesThePodThroughTheNodePort() throws Exception {
        KubeClient admin = cluster.admin();
        admin.create(ResourceType.NODES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"lbt-node\"}}"));
        ObjectNode node = admin.get(ResourceType.NODES, "", "lbt-node").orElseThrow();
        node.set("status", TestCluster.object("""
                {"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}],
                 "addresses":[{"type":"InternalIP","address":"%s"}]}""".formatted(NODE_ADDRESS)));
        admin.updateStatus(ResourceType.NODES, node);
        int servicePort = NodePortServer.freePort();
        ObjectNode service = admin.create(ResourceType.SERVICES, "default", TestCluster.object("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web-%s"},"spec":{"type":"LoadBalancer",
                 "selector":{"app":"web"},"ports":[{"name":"http","port":%d,"targetPort":8080}]}}"""
                .formatted(id, servicePort)));
        int nodePort = service.path("spec").path("ports").path(0).path("nodePort").asInt();
        admin.create(ResourceType.ENDPOINT_SLICES, "default", TestCluster.object("""
                {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",
                 "metadata":{"name":"web-%1$s-x","labels":{"kubernetes.io/service-name":"web-%1$s"}},
                 "addressType":"IPv4","ports":[{"name":"http","port":8080,"protocol":"TCP"}],
                 "endpoints":[{"addresses":["%2$s"],"nodeName":"lbt-node","conditions":{"ready":true}}]}"""
                .formatted(id, POD_ADDRESS)));
        ServiceProxier proxier = new ServiceProxier(admin,
                ProxyConfig.of("lbt-node", List.of(NODE_ADDRESS), "10.244.0.0/16", nodeNs));
        closing.add(proxier);
        proxier.start();
        awaitRules(proxier, "default/web-" + id + "/tcp/http__" + POD_ADDRESS + "/8080");
        LocalLoadBalancers balancers = new LocalLoadBalancers(home.resolve("load-balancers.json"));
        closing.add(balancers);

        ServiceController.loop(cluster.cloudControllerContext(ServiceController.COMPONENT,
                new MutableClock(Instant.now())), balancers).reconciler()
                .reconcile(new ObjectKey("services", "default", "web-" + id));

        assertThat(admin.get(ResourceType.SERVICES, "default", "web-" + id).orElseThrow().path("status")
                .path("loadBalancer").path("ingress").path(0).path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(balancers.listenerPorts(LoadBalancerServices.loadBalancerName(service)))
                .containsEntry("TCP/" + servicePort, servicePort);
        String answer = "";
        long deadline = System.nanoTime() + 30_000_000_000L; // the pod's server may still be starting
        while (!answer.equals("pod:hello") && System.nanoTime() < deadline) {
            answer = NodePortServer.call(servicePort, "hello");
            if (!answer.equals("pod:hello")) {
                Thread.sleep(100);
            }
        }
        assertThat(answer).as("127.0.0.1:%d -> %s:%d -> %s:8080", servicePort, NODE_ADDRESS, nodePort, POD_ADDRESS)
                .isEqualTo("pod:hello");
    }

    private static void awaitRules(ServiceProxier proxier, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            ServiceProxier.Sync sync = proxier.lastSync();
            if (sync != null && sync.ruleset().text().contains(text)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the proxier did not apply rules with " + text);
    }

    /** Root, and iproute2, nft and python3 on the PATH: skipped without them, failed under {@code CI=true}. */
    private static void requirePrerequisites() {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> missing = new ArrayList<>(java.util.stream.Stream.of("ip", "nft", "python3")
                .filter(command -> java.util.Arrays.stream(path.split(":"))
                        .noneMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)))).toList());
        if (!HostRoutesAccess.root()) {
            missing.add("root");
        }
        if (!missing.isEmpty()) {
            String message = "the load balancer -> NodePort -> pod test needs " + String.join(", ", missing);
            Assumptions.assumeTrue("true".equals(System.getenv("CI")), message); // a developer machine skips
            Assertions.fail(message);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void runQuietly(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor();
    }

    /** Whether this process is root (as the local routes decide it). */
    private static final class HostRoutesAccess {
        static boolean root() {
            try {
                return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
    }
}
