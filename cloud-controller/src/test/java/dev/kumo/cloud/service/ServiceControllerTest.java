package dev.kumo.cloud.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.LoadBalancerRequest;
import dev.kumo.cloud.LoadBalancerStatus;
import dev.kumo.cloud.LoadBalancers;
import dev.kumo.cloud.local.LocalLoadBalancers;
import dev.kumo.cloud.local.NodePortServer;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service controller against the real API server (as {@code system:kumo:cloud-controller}, under its RBAC role)
 * with the local provider's real load balancers: NodePorts are real TCP servers on 127.0.0.1 and 127.0.0.2.
 */
class ServiceControllerTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<AutoCloseable> closing = new ArrayList<>();
    private LocalLoadBalancers local;
    private String namespace;
    private int nodePort;

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        for (ObjectNode node : ADMIN.list(ResourceType.NODES, "", "", "")) {
            ADMIN.delete(ResourceType.NODES, "", Meta.name(node), null, null);
        }
        local = new LocalLoadBalancers(home.resolve("load-balancers.json"));
        closing.add(local);
        namespace = "lb-" + UUID.randomUUID().toString().substring(0, 6);
        ADMIN.create(ResourceType.NAMESPACES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}"));
        nodePort = freeNodePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private ControlLoop loop(LoadBalancers loadBalancers) {
        return ServiceController.loop(CLUSTER.cloudControllerContext(ServiceController.COMPONENT, clock),
                loadBalancers);
    }

    @Test
    void aLoadBalancerServiceGetsTheFinalizerFirstThenAListenerSpreadingOverItsNodesAndItsStatus()
            throws Exception {
        readyNode("node-a", "127.0.0.1");
        readyNode("node-b", "127.0.0.2");
        nodePortServer("node-a", "127.0.0.1");
        nodePortServer("node-b", "127.0.0.2");
        int servicePort = NodePortServer.freePort();
        List<Boolean> finalizerAtEnsure = new CopyOnWriteArrayList<>();
        LoadBalancers watching = new Observed(local, request -> finalizerAtEnsure.add(
                LoadBalancerServices.hasFinalizer(service("web"))));
        createService("web", servicePort);

        Result result = loop(watching).reconciler().reconcile(key("web"));

        assertThat(result).isEqualTo(Result.DONE);
        assertThat(finalizerAtEnsure).containsExactly(true);
        ObjectNode web = service("web");
        assertThat(web.path("metadata").path("finalizers").toString())
                .contains("service.kubernetes.io/load-balancer-cleanup");
        assertThat(web.path("status").path("loadBalancer").path("ingress").path(0).path("ip").asText())
                .isEqualTo("127.0.0.1");
        assertThat(events("web")).containsExactly("Normal EnsuringLoadBalancer: Ensuring load balancer",
                "Normal EnsuredLoadBalancer: Ensured load balancer");
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(NodePortServer.call(servicePort, "hi"));
        }
        assertThat(answers).containsExactlyInAnyOrder("node-a:hi", "node-a:hi", "node-b:hi", "node-b:hi");

        String version = Meta.resourceVersion(service("web"));
        loop(watching).reconciler().reconcile(key("web")); // another function instance: one more ensure, no write
        ControlLoop same = loop(watching);
        same.reconciler().reconcile(key("web"));
        same.reconciler().reconcile(key("web")); // the same instance remembers: no cloud call
        assertThat(Meta.resourceVersion(service("web"))).isEqualTo(version);
        assertThat(finalizerAtEnsure).hasSize(3);
    }

    @Test
    void aNodeThatIsNoLongerReadyLeavesTheTargetsOnTheNodeSync() throws Exception {
        readyNode("node-a", "127.0.0.1");
        readyNode("node-b", "127.0.0.2");
        nodePortServer("node-a", "127.0.0.1");
        nodePortServer("node-b", "127.0.0.2");
        int servicePort = NodePortServer.freePort();
        createService("web", servicePort);
        ControlLoop loop = loop(local);
        loop.reconciler().reconcile(key("web"));

        setReady("node-b", "False");
        List<ObjectKey> keys = loop.keys().keysFor(new dev.kumo.apimachinery.store.WatchEvent(
                dev.kumo.apimachinery.store.WatchEvent.Type.MODIFIED, 2, ObjectKey.cluster("nodes", "node-b"),
                ADMIN.get(ResourceType.NODES, "", "node-b").orElseThrow(), 1));
        assertThat(keys).containsExactly(ServiceControllerKeys.NODE_SYNC);
        loop.reconciler().reconcile(keys.getFirst());

        for (int i = 0; i < 4; i++) {
            assertThat(NodePortServer.call(servicePort, "hi")).isEqualTo("node-a:hi");
        }
        assertThat(events("web")).contains("Normal UpdatedLoadBalancer: Updated load balancer with new hosts");

        String version = Meta.resourceVersion(service("web"));
        int eventCount = events("web").size();
        loop.reconciler().reconcile(ServiceControllerKeys.NODE_SYNC); // a heartbeat: targets unchanged
        assertThat(Meta.resourceVersion(service("web"))).isEqualTo(version);
        assertThat(events("web")).hasSize(eventCount);
    }

    @Test
    void aPortChangeMovesTheListener() throws Exception {
        readyNode("node-a", "127.0.0.1");
        nodePortServer("node-a", "127.0.0.1");
        int first = NodePortServer.freePort();
        int second = NodePortServer.freePort();
        createService("web", first);
        ControlLoop loop = loop(local);
        loop.reconciler().reconcile(key("web"));
        assertThat(NodePortServer.call(first, "hi")).isEqualTo("node-a:hi");

        ObjectNode web = service("web");
        ((ObjectNode) web.path("spec").path("ports").path(0)).put("port", second);
        ADMIN.update(ResourceType.SERVICES, web);
        loop.reconciler().reconcile(key("web"));

        assertThat(NodePortServer.call(second, "hi")).isEqualTo("node-a:hi");
        assertThatThrownBy(() -> NodePortServer.call(first, "hi")).isInstanceOf(ConnectException.class);
    }

    @Test
    void deletingTheServiceDeletesTheLoadBalancerThenLetsTheServiceGo() throws Exception {
        readyNode("node-a", "127.0.0.1");
        nodePortServer("node-a", "127.0.0.1");
        int servicePort = NodePortServer.freePort();
        createService("web", servicePort);
        List<Boolean> finalizerAtDelete = new CopyOnWriteArrayList<>();
        ControlLoop loop = loop(new Observed(local, null) {
            @Override
            public void delete(String name) throws CloudException {
                finalizerAtDelete.add(LoadBalancerServices.hasFinalizer(service("web")));
                super.delete(name);
            }
        });
        loop.reconciler().reconcile(key("web"));

        ADMIN.delete(ResourceType.SERVICES, namespace, "web", null, null);
        ObjectNode deleting = service("web");
        assertThat(Meta.isBeingDeleted(deleting)).as("the finalizer holds it").isTrue();
        assertThat(loop.keys().keysFor(new dev.kumo.apimachinery.store.WatchEvent(
                dev.kumo.apimachinery.store.WatchEvent.Type.MODIFIED, 3, key("web"), deleting, 2)))
                .containsExactly(key("web"));
        loop.reconciler().reconcile(key("web"));

        assertThat(finalizerAtDelete).containsExactly(true);
        assertThat(ADMIN.get(ResourceType.SERVICES, namespace, "web")).isEmpty();
        assertThatThrownBy(() -> NodePortServer.call(servicePort, "hi")).isInstanceOf(ConnectException.class);
        assertThat(local.find(LoadBalancerServices.loadBalancerName(deleting))).isEmpty();
        assertThat(events("web")).contains("Normal DeletingLoadBalancer: Deleting load balancer",
                "Normal DeletedLoadBalancer: Deleted load balancer");
    }

    @Test
    void changingTheTypeAwayFromLoadBalancerDeletesItAndClearsTheStatus() throws Exception {
        readyNode("node-a", "127.0.0.1");
        int servicePort = NodePortServer.freePort();
        createService("web", servicePort);
        ControlLoop loop = loop(local);
        loop.reconciler().reconcile(key("web"));

        ObjectNode web = service("web");
        ObjectNode spec = (ObjectNode) web.path("spec");
        spec.put("type", "ClusterIP");
        ((ObjectNode) spec.path("ports").path(0)).remove("nodePort");
        ADMIN.update(ResourceType.SERVICES, web);
        loop.reconciler().reconcile(key("web"));

        ObjectNode after = service("web");
        assertThat(after.path("metadata").path("finalizers").toString()).doesNotContain("load-balancer-cleanup");
        assertThat(after.path("status").path("loadBalancer").path("ingress").isMissingNode()
                || after.path("status").path("loadBalancer").path("ingress").isEmpty()).isTrue();
        assertThat(local.find(LoadBalancerServices.loadBalancerName(after))).isEmpty();
        assertThat(loop.keys().keysFor(new dev.kumo.apimachinery.store.WatchEvent(
                dev.kumo.apimachinery.store.WatchEvent.Type.MODIFIED, 5, key("web"), after, 4))).isEmpty();
    }

    @Test
    void aFailureIsAnEventAndARequeueWithBackOff() throws Exception {
        readyNode("node-a", "127.0.0.1");
        // A real failure of the local provider: its state file cannot be written (its directory is a file).
        Path notADirectory = Files.createFile(home.resolve("blocked"));
        LocalLoadBalancers broken = new LocalLoadBalancers(notADirectory.resolve("load-balancers.json"));
        closing.add(broken);
        createService("web", NodePortServer.freePort());
        ControlLoop loop = loop(broken);

        Result first = loop.reconciler().reconcile(key("web"));
        Result second = loop.reconciler().reconcile(key("web"));
        Result third = loop.reconciler().reconcile(key("web"));

        assertThat(List.of(first.requeueAfter(), second.requeueAfter(), third.requeueAfter()))
                .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20));
        List<String> failures = events("web").stream().filter(e -> e.contains("SyncLoadBalancerFailed")).toList();
        assertThat(failures).isNotEmpty();
        assertThat(failures.getFirst()).startsWith(
                "Warning SyncLoadBalancerFailed: Error syncing load balancer: failed to ensure load balancer: "
                        + "could not open the listeners of load balancer a");
        assertThat(service("web").path("status").path("loadBalancer").path("ingress").isMissingNode()).isTrue();
    }

    @Test
    void aPortTheProviderCannotServeIsReportedOnceAndNotRetried() throws Exception {
        readyNode("node-a", "127.0.0.1");
        ADMIN.create(ResourceType.SERVICES, namespace, TestCluster.object("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"dns"},"spec":{"type":"LoadBalancer",
                 "selector":{"app":"dns"},"ports":[{"name":"dns","port":5353,"protocol":"UDP"}]}}"""));

        Result result = loop(local).reconciler().reconcile(key("dns"));

        assertThat(result).isEqualTo(Result.DONE);
        assertThat(events("dns")).contains("Warning SyncLoadBalancerFailed: Error syncing load balancer: failed to "
                + "ensure load balancer: the local provider's load balancers carry TCP only; port UDP/5353 cannot be "
                + "served");
    }

    @Test
    void theSameReconcileTwiceAtOnceMakesOneLoadBalancer() throws Exception {
        readyNode("node-a", "127.0.0.1");
        nodePortServer("node-a", "127.0.0.1");
        createService("web", 80); // privileged: the listener's port is chosen, so two choices would show
        ControlLoop one = loop(local);
        ControlLoop two = loop(local); // two function instances, one process's load balancers
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Result>> both = List.of(() -> one.reconciler().reconcile(key("web")),
                    () -> two.reconciler().reconcile(key("web")));
            for (Future<Result> f : pool.invokeAll(both)) {
                assertThat(f.get()).as("a conflict on the finalizer is read again and retried").isEqualTo(Result.DONE);
            }
        } finally {
            pool.shutdownNow();
        }

        String name = LoadBalancerServices.loadBalancerName(service("web"));
        assertThat(local.listenerPorts(name)).hasSize(1);
        int port = local.listenerPorts(name).get("TCP/80");
        assertThat(NodePortServer.call(port, "hi")).isEqualTo("node-a:hi");
        JsonNode state = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(home.resolve("load-balancers.json").toFile());
        assertThat(state.size()).isEqualTo(1);
        assertThat(service("web").path("metadata").path("finalizers")).hasSize(1);
        assertThat(events("web")).noneMatch(e -> e.contains("SyncLoadBalancerFailed"));
    }

    @Test
    void servicesOfOtherKindsOrClassesAreNotKeys() {
        ControlLoop loop = loop(local);
        ObjectNode clusterIp = TestCluster.object("""
                {"metadata":{"name":"a","namespace":"n"},"spec":{"type":"ClusterIP"}}""");
        ObjectNode otherClass = TestCluster.object("""
                {"metadata":{"name":"b","namespace":"n"},"spec":{"type":"LoadBalancer",
                 "loadBalancerClass":"example.com/other"}}""");
        ObjectNode ours = TestCluster.object("""
                {"metadata":{"name":"c","namespace":"n"},"spec":{"type":"LoadBalancer",
                 "loadBalancerClass":"kumo.dev/load-balancer"}}""");
        assertThat(keys(loop, clusterIp)).isEmpty();
        assertThat(keys(loop, otherClass)).isEmpty();
        assertThat(keys(loop, ours)).containsExactly(new ObjectKey("services", "n", "c"));
    }

    private static List<ObjectKey> keys(ControlLoop loop, ObjectNode service) {
        return loop.keys().keysFor(new dev.kumo.apimachinery.store.WatchEvent(
                dev.kumo.apimachinery.store.WatchEvent.Type.ADDED, 1,
                new ObjectKey("services", Meta.namespace(service), Meta.name(service)), service, 0));
    }

    private ObjectKey key(String name) {
        return new ObjectKey("services", namespace, name);
    }

    private ObjectNode service(String name) {
        return ADMIN.get(ResourceType.SERVICES, namespace, name).orElseThrow();
    }

    private void createService(String name, int port) {
        ADMIN.create(ResourceType.SERVICES, namespace, TestCluster.object("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s"},"spec":{"type":"LoadBalancer",
                 "selector":{"app":"web"},"ports":[{"name":"http","port":%d,"targetPort":8080,"nodePort":%d}]}}"""
                .formatted(name, port, nodePort)));
    }

    private void readyNode(String name, String address) {
        ADMIN.create(ResourceType.NODES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"},"
                        + "\"spec\":{\"providerID\":\"kumo-local:///" + name + "\"}}"));
        ObjectNode node = ADMIN.get(ResourceType.NODES, "", name).orElseThrow();
        node.set("status", TestCluster.object("""
                {"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}],
                 "addresses":[{"type":"InternalIP","address":"%s"},{"type":"Hostname","address":"%s"}]}"""
                .formatted(address, name)));
        ADMIN.updateStatus(ResourceType.NODES, node);
    }

    private void setReady(String name, String status) {
        ObjectNode node = ADMIN.get(ResourceType.NODES, "", name).orElseThrow();
        ((ObjectNode) node.path("status").path("conditions").path(0)).put("status", status);
        ADMIN.updateStatus(ResourceType.NODES, node);
    }

    private void nodePortServer(String name, String address) throws IOException {
        closing.add(new NodePortServer(name, address, nodePort));
    }

    /** "Type Reason: message" of the events about the Service, oldest first. */
    private List<String> events(String name) {
        return ADMIN.list(ResourceType.EVENTS, namespace, "", "involvedObject.name=" + name).stream()
                .sorted(java.util.Comparator.comparing((ObjectNode e) -> e.path("metadata").path("creationTimestamp")
                        .asText()).thenComparing(e -> e.path("metadata").path("name").asText()))
                .map(e -> e.path("type").asText() + " " + e.path("reason").asText() + ": "
                        + e.path("message").asText())
                .toList();
    }

    /** A node port in the API's range that is free on 127.0.0.1 and 127.0.0.2, for the stand-in NodePorts. */
    /**
     * A node port no Service of the shared cluster holds (earlier tests' Services keep theirs: a random pick once
     * collided, "provided port is already allocated") and free on both node addresses.
     */
    private static int freeNodePort() throws IOException {
        java.util.Set<Integer> allocated = new java.util.HashSet<>();
        for (ObjectNode service : ADMIN.list(ResourceType.SERVICES, "", "", "")) {
            service.path("spec").path("ports").forEach(port -> allocated.add(port.path("nodePort").asInt(0)));
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = 30000 + (int) (Math.random() * 2767);
            if (allocated.contains(port)) {
                continue;
            }
            try (var a = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"));
                 var b = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.2"))) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free node port");
    }

    /** The real load balancers, with a look at the world at the moment of each ensure. */
    private static class Observed implements LoadBalancers {
        private final LoadBalancers real;
        private final java.util.function.Consumer<LoadBalancerRequest> atEnsure;

        Observed(LoadBalancers real, java.util.function.Consumer<LoadBalancerRequest> atEnsure) {
            this.real = real;
            this.atEnsure = atEnsure;
        }

        @Override
        public LoadBalancerStatus ensure(LoadBalancerRequest request) throws CloudException {
            if (atEnsure != null) {
                atEnsure.accept(request);
            }
            return real.ensure(request);
        }

        @Override
        public Optional<LoadBalancerStatus> find(String name) throws CloudException {
            return real.find(name);
        }

        @Override
        public void delete(String name) throws CloudException {
            real.delete(name);
        }
    }
}
