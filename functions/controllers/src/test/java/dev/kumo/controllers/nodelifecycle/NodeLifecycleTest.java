package dev.kumo.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.status.Conditions;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NodeLifecycleTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();
    private static final NodeFixtures FIXTURES = new NodeFixtures(ADMIN);

    private final Instant start = Instant.now();
    private final MutableClock clock = new MutableClock(start);
    private final ControlLoop loop = NodeLifecycle.loop(CLUSTER.controllerContext(NodeLifecycle.COMPONENT, clock));
    private String id;
    private String namespace;

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @BeforeEach
    void setUp() {
        id = UUID.randomUUID().toString().substring(0, 6);
        namespace = "nl-" + id;
        FIXTURES.namespace(namespace);
        FIXTURES.node("alive-" + id, "True", start, ""); // keeps the cluster out of full disruption
    }

    @Test
    void aSilentNodeGoesUnknownIsTaintedUnreachableAndItsPodsAreMarkedNotReady() throws Exception {
        String node = "silent-" + id;
        FIXTURES.node(node, "True", start.minusSeconds(60), "");
        FIXTURES.lease(node, start.minusSeconds(45));
        FIXTURES.pod(namespace, "web", node, "[]");

        Result result = reconcile(node);

        ObjectNode marked = get(node);
        for (String type : List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")) {
            JsonNode condition = Conditions.find(marked, type).orElseThrow();
            assertThat(condition.path("status").asText()).isEqualTo("Unknown");
            assertThat(condition.path("reason").asText()).isEqualTo("NodeStatusUnknown");
            assertThat(condition.path("message").asText()).isEqualTo("Kubelet stopped posting node status.");
        }
        assertThat(taints(marked)).containsExactlyInAnyOrder("node.kubernetes.io/unreachable:NoSchedule",
                "node.kubernetes.io/unreachable:NoExecute");
        marked.path("spec").path("taints").forEach(t -> assertThat(t.path("timeAdded").isTextual()).isTrue());
        assertThat(events(node)).containsExactly("NodeNotReady: Node " + node + " status is now: NodeNotReady");
        ObjectNode pod = ADMIN.get(ResourceType.PODS, namespace, "web").orElseThrow();
        assertThat(Conditions.status(pod, "Ready")).isEqualTo("False");
        assertThat(events("web")).containsExactly("NodeNotReady: Node is not ready");
        // The API gave the pod 300 s of toleration: it is evicted then, not now.
        assertThat(Meta.isBeingDeleted(pod)).isFalse();
        assertThat(result.requeueAfter()).isBetween(Duration.ofSeconds(295), Duration.ofSeconds(300));

        String version = Meta.resourceVersion(get(node));
        reconcile(node);
        assertThat(Meta.resourceVersion(get(node))).as("a repeat writes nothing").isEqualTo(version);
        assertThat(events(node)).hasSize(1);
    }

    /**
     * The pods of nodes that are not Ready come from a cache that follows the change log: listing a node's pods by
     * field selector read every pod of the cluster once per such node (a void pods-5000 bench run spent a third of
     * its DynamoDB calls on it).
     */
    @Test
    void thePodsOfNodesThatAreNotReadyAreListedOnceAndFollowedAfterwards() throws Exception {
        String first = "silent-a-" + id;
        String second = "silent-b-" + id;
        for (String node : List.of(first, second)) {
            FIXTURES.node(node, "True", start.minusSeconds(60), "");
        }
        FIXTURES.pod(namespace, "early", first, "[]");
        NodeLifecycle reconciler = (NodeLifecycle) loop.reconciler();

        reconcile(first);
        FIXTURES.pod(namespace, "late", second, "[]"); // after the cache was filled: it arrives by watch
        reconcile(second);

        for (String pod : List.of("early", "late")) {
            assertThat(Conditions.status(ADMIN.get(ResourceType.PODS, namespace, pod).orElseThrow(), "Ready"))
                    .as("pod %s marked not ready", pod).isEqualTo("False");
        }
        assertThat(reconciler.podLists()).as("the pods listed once for both nodes").isEqualTo(1);
    }

    @Test
    void aPodIsEvictedWhenItsTolerationRunsOut() throws Exception {
        String node = "gone-" + id;
        FIXTURES.node(node, "True", start.minusSeconds(60), "");
        FIXTURES.pod(namespace, "patient", node, "[]");
        FIXTURES.pod(namespace, "quick", node, "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":"
                + "\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":30}]");
        FIXTURES.pod(namespace, "forever", node, "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":"
                + "\"Exists\",\"effect\":\"NoExecute\"}]");

        Result first = reconcile(node);
        assertThat(first.requeueAfter()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
        clock.advance(first.requeueAfter());
        Result second = reconcile(node);

        assertThat(deleting()).containsExactly("quick");
        ObjectNode quick = ADMIN.get(ResourceType.PODS, namespace, "quick").orElseThrow();
        JsonNode target = conditions(quick).stream().filter(c -> c.path("type").asText().equals("DisruptionTarget"))
                .findFirst().orElseThrow();
        assertThat(target.path("reason").asText()).isEqualTo("DeletionByTaintManager");
        assertThat(target.path("message").asText()).isEqualTo("Taint manager: deleting due to NoExecute taint");
        List<ObjectNode> evictions = ADMIN.list(ResourceType.EVENTS, namespace, "", "involvedObject.name=quick")
                .stream().filter(e -> e.path("reason").asText().equals("TaintManagerEviction")).toList();
        assertThat(evictions).hasSize(1);
        assertThat(evictions.getFirst().path("message").asText())
                .isEqualTo("Marking for deletion Pod " + namespace + "/quick");
        assertThat(evictions.getFirst().path("source").path("component").asText())
                .isEqualTo("taint-eviction-controller");
        assertThat(second.requeueAfter()).isBetween(Duration.ofSeconds(265), Duration.ofSeconds(271));

        clock.advance(second.requeueAfter());
        reconcile(node);
        assertThat(deleting()).containsExactlyInAnyOrder("quick", "patient");
    }

    @Test
    void aLeaseRenewalKeepsANodeWithAnOldStatusHealthy() throws Exception {
        String node = "leased-" + id;
        FIXTURES.node(node, "True", start.minusSeconds(300), "");
        FIXTURES.lease(node, start.minusSeconds(5));

        Result result = reconcile(node);

        assertThat(Conditions.status(get(node), "Ready")).isEqualTo("True");
        assertThat(taints(get(node))).isEmpty();
        assertThat(result.requeueAfter()).as("looks again when the grace period would end")
                .isBetween(Duration.ofSeconds(35), Duration.ofSeconds(36));
    }

    @Test
    void aNotReadyNodeIsTaintedNotReadyAndAnUntoleratedTaintEvictsAtOnce() throws Exception {
        String node = "sick-" + id;
        FIXTURES.node(node, "False", start, "\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\","
                + "\"effect\":\"NoExecute\"}]");
        FIXTURES.pod(namespace, "db", node, "[{\"key\":\"dedicated\",\"operator\":\"Exists\"}]");
        FIXTURES.pod(namespace, "web", node, "[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":"
                + "\"Exists\",\"effect\":\"NoExecute\"}]");

        reconcile(node);

        ObjectNode tainted = get(node);
        assertThat(taints(tainted)).containsExactlyInAnyOrder("dedicated:NoExecute",
                "node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute");
        assertThat(tainted.path("spec").path("taints").get(0).path("timeAdded").isTextual())
                .as("a NoExecute taint without timeAdded gets one: evictions count from it").isTrue();
        assertThat(deleting()).containsExactly("web");
        assertThat(Conditions.status(ADMIN.get(ResourceType.PODS, namespace, "db").orElseThrow(), "Ready"))
                .isEqualTo("False");
    }

    @Test
    void aNodeThatComesBackLosesTheControllersTaintsOnly() throws Exception {
        String node = "back-" + id;
        FIXTURES.node(node, "True", start, "\"taints\":[{\"key\":\"node.kubernetes.io/unreachable\","
                + "\"effect\":\"NoSchedule\",\"timeAdded\":\"2025-01-01T00:00:00Z\"},{\"key\":"
                + "\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\",\"timeAdded\":\"2025-01-01T00:00:00Z\"},"
                + "{\"key\":\"team\",\"value\":\"a\",\"effect\":\"NoSchedule\"}]");

        reconcile(node);

        assertThat(taints(get(node))).containsExactly("team:NoSchedule");
    }

    @Test
    void aNodeThatNeverPostedStatusGetsTheStartupGracePeriod() throws Exception {
        String node = "new-" + id;
        FIXTURES.node(node, null, start, "");
        Instant created = Instant.parse(get(node).path("metadata").path("creationTimestamp").asText());

        clock.set(created.plusSeconds(50));
        reconcile(node);
        assertThat(get(node).path("status").path("conditions").isEmpty()).isTrue();

        clock.set(created.plusSeconds(61));
        reconcile(node);
        JsonNode ready = Conditions.find(get(node), "Ready").orElseThrow();
        assertThat(ready.path("status").asText()).isEqualTo("Unknown");
        assertThat(ready.path("reason").asText()).isEqualTo("NodeStatusNeverUpdated");
        assertThat(ready.path("message").asText()).isEqualTo("Kubelet never posted node status.");
        assertThat(taints(get(node))).contains("node.kubernetes.io/unreachable:NoExecute");
    }

    @Test
    void aKeyForANodeAlreadyGoneDoesNothing() throws Exception {
        assertThat(reconcile("never-" + id)).isEqualTo(Result.DONE);
    }

    @Test
    void theTickLooksAtEveryNode() throws Exception {
        assertThat(loop.resync().keys()).contains(ObjectKey.cluster("nodes", "alive-" + id));
    }

    // --- helpers ---

    private Result reconcile(String node) throws Exception {
        return loop.reconciler().reconcile(ObjectKey.cluster("nodes", node));
    }

    private static ObjectNode get(String node) {
        return ADMIN.get(ResourceType.NODES, "", node).orElseThrow();
    }

    private static List<String> taints(JsonNode node) {
        List<String> taints = new ArrayList<>();
        node.path("spec").path("taints").forEach(t -> taints.add(t.path("key").asText() + ":"
                + t.path("effect").asText()));
        return taints;
    }

    private static List<JsonNode> conditions(JsonNode object) {
        List<JsonNode> conditions = new ArrayList<>();
        object.path("status").path("conditions").forEach(conditions::add);
        return conditions;
    }

    /** Events about {@code name}, in this test's namespace (pods) or in default (nodes). */
    private List<String> events(String name) {
        String eventNamespace = name.equals("web") ? namespace : "default";
        return ADMIN.list(ResourceType.EVENTS, eventNamespace, "", "involvedObject.name=" + name).stream()
                .map(e -> e.path("reason").asText() + ": " + e.path("message").asText()).toList();
    }

    private List<String> deleting() {
        return ADMIN.list(ResourceType.PODS, namespace, "", "").stream().filter(Meta::isBeingDeleted)
                .map(Meta::name).toList();
    }
}
