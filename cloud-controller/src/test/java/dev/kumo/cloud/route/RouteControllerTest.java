package dev.kumo.cloud.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.cloud.Route;
import dev.kumo.cloud.local.LocalRoutes;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The route controller against the real API server, as {@code system:kumo:cloud-controller}, with local routes. */
class RouteControllerTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(Instant.now());

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @BeforeEach
    void noNodes() {
        for (ObjectNode node : ADMIN.list(ResourceType.NODES, "", "", "")) {
            ADMIN.delete(ResourceType.NODES, "", Meta.name(node), null, null);
        }
    }

    private ControlLoop loop(LocalRoutes routes) {
        return RouteController.loop(CLUSTER.cloudControllerContext(RouteController.COMPONENT, clock), routes);
    }

    @Test
    void everyNodeWithAPodCidrGetsARouteAndNetworkUnavailableFalse() throws Exception {
        node("node-a", "10.244.1.0/24", "172.30.0.2");
        node("node-b", "10.244.2.0/24", "172.30.0.3");
        node("node-c", null, "172.30.0.4"); // no pod CIDR yet: no route, no condition
        LocalRoutes routes = LocalRoutes.recordOnly(home.resolve("routes.json"));
        ControlLoop loop = loop(routes);

        Result result = loop.reconciler().reconcile(RouteKeys.RECONCILE);

        assertThat(result).isEqualTo(Result.DONE);
        assertThat(routes.list()).containsExactlyInAnyOrder(
                new Route("node-a", "kumo-local:///node-a", "10.244.1.0/24", "172.30.0.2"),
                new Route("node-b", "kumo-local:///node-b", "10.244.2.0/24", "172.30.0.3"));
        for (String name : List.of("node-a", "node-b")) {
            JsonNode condition = networkUnavailable(name);
            assertThat(condition.path("status").asText()).isEqualTo("False");
            assertThat(condition.path("reason").asText()).isEqualTo("RouteCreated");
            assertThat(condition.path("message").asText()).isEqualTo("RouteController created a route");
            assertThat(conditionTypes(name)).as("the kubelet's conditions stay").contains("Ready");
        }
        assertThat(networkUnavailable("node-c").isMissingNode()).isTrue();

        String version = Meta.resourceVersion(ADMIN.get(ResourceType.NODES, "", "node-a").orElseThrow());
        loop.reconciler().reconcile(RouteKeys.RECONCILE);
        assertThat(Meta.resourceVersion(ADMIN.get(ResourceType.NODES, "", "node-a").orElseThrow()))
                .as("a pass with nothing to do writes nothing").isEqualTo(version);
        assertThat(LocalRoutes.recordOnly(home.resolve("routes.json")).list()).as("kept under the home")
                .hasSize(2);
    }

    @Test
    void theRouteOfANodeThatIsGoneIsDeleted() throws Exception {
        node("node-a", "10.244.1.0/24", "172.30.0.2");
        node("node-b", "10.244.2.0/24", "172.30.0.3");
        LocalRoutes routes = LocalRoutes.recordOnly(home.resolve("routes.json"));
        ControlLoop loop = loop(routes);
        loop.reconciler().reconcile(RouteKeys.RECONCILE);

        ObjectNode gone = ADMIN.get(ResourceType.NODES, "", "node-b").orElseThrow();
        ADMIN.delete(ResourceType.NODES, "", "node-b", null, null);
        assertThat(loop.keys().keysFor(new WatchEvent(WatchEvent.Type.DELETED, 9, ObjectKey.cluster("nodes",
                "node-b"), gone, 8))).containsExactly(RouteKeys.RECONCILE);
        loop.reconciler().reconcile(RouteKeys.RECONCILE);

        assertThat(routes.list()).extracting(Route::nodeName).containsExactly("node-a");
    }

    @Test
    void aRoutedNodesStatusPostsAreNotKeysButAnUnroutedOnesAre() throws Exception {
        node("node-a", "10.244.1.0/24", "172.30.0.2");
        ControlLoop loop = loop(LocalRoutes.recordOnly(home.resolve("routes.json")));
        ObjectNode before = ADMIN.get(ResourceType.NODES, "", "node-a").orElseThrow();
        assertThat(keys(loop, WatchEvent.Type.MODIFIED, before)).containsExactly(RouteKeys.RECONCILE);
        assertThat(keys(loop, WatchEvent.Type.ADDED, before)).containsExactly(RouteKeys.RECONCILE);

        loop.reconciler().reconcile(RouteKeys.RECONCILE);

        ObjectNode routed = ADMIN.get(ResourceType.NODES, "", "node-a").orElseThrow();
        assertThat(keys(loop, WatchEvent.Type.MODIFIED, routed)).isEmpty();
        assertThat(loop.resync().keys()).containsExactly(RouteKeys.RECONCILE);
    }

    @Test
    void aRouteThatCannotBeMadeIsAnEventTheConditionTrueAndARequeue() throws Exception {
        node("node-a", "10.244.1.0/24", "172.30.0.2");
        Path notADirectory = Files.createFile(home.resolve("blocked"));
        ControlLoop loop = loop(LocalRoutes.recordOnly(notADirectory.resolve("routes.json")));

        Result first = loop.reconciler().reconcile(RouteKeys.RECONCILE);
        Result second = loop.reconciler().reconcile(RouteKeys.RECONCILE);

        assertThat(first.requeueAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(second.requeueAfter()).isEqualTo(Duration.ofSeconds(10));
        JsonNode condition = networkUnavailable("node-a");
        assertThat(condition.path("status").asText()).isEqualTo("True");
        assertThat(condition.path("reason").asText()).isEqualTo("NoRouteCreated");
        List<ObjectNode> events = ADMIN.list(ResourceType.EVENTS, "default", "", "involvedObject.name=node-a");
        assertThat(events).extracting(e -> e.path("reason").asText()).contains("FailedToCreateRoute");
        assertThat(events.getFirst().path("message").asText()).contains("10.244.1.0/24").contains("node-a");
    }

    private static List<ObjectKey> keys(ControlLoop loop, WatchEvent.Type type, ObjectNode node) {
        return loop.keys().keysFor(new WatchEvent(type, 2, ObjectKey.cluster("nodes", Meta.name(node)), node, 1));
    }

    private static JsonNode networkUnavailable(String node) {
        for (JsonNode condition : ADMIN.get(ResourceType.NODES, "", node).orElseThrow().path("status")
                .path("conditions")) {
            if (condition.path("type").asText().equals("NetworkUnavailable")) {
                return condition;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static List<String> conditionTypes(String node) {
        List<String> types = new java.util.ArrayList<>();
        ADMIN.get(ResourceType.NODES, "", node).orElseThrow().path("status").path("conditions")
                .forEach(c -> types.add(c.path("type").asText()));
        return types;
    }

    private static void node(String name, String podCidr, String address) {
        String spec = "\"providerID\":\"kumo-local:///" + name + "\""
                + (podCidr == null ? "" : ",\"podCIDR\":\"" + podCidr + "\",\"podCIDRs\":[\"" + podCidr + "\"]");
        ADMIN.create(ResourceType.NODES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                        + spec + "}}"));
        ObjectNode node = ADMIN.get(ResourceType.NODES, "", name).orElseThrow();
        node.set("status", TestCluster.object("""
                {"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}],
                 "addresses":[{"type":"InternalIP","address":"%s"}]}""".formatted(address)));
        ADMIN.updateStatus(ResourceType.NODES, node);
    }
}
