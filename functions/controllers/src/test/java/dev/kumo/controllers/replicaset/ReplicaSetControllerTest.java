package dev.kumo.controllers.replicaset;

import dev.kumo.controllers.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.dynamodb.CallerBreakdown;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaSetControllerTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private ControlLoop loop;
    private String namespace;

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @BeforeEach
    void setUp() {
        loop = ReplicaSetController.loop(CLUSTER.controllerContext(ReplicaSetController.COMPONENT, clock));
        namespace = Workloads.namespace(ADMIN, "rs");
    }

    private Result reconcile(String name) throws Exception {
        return loop.reconciler().reconcile(new ObjectKey("apps/replicasets", namespace, name));
    }

    private ObjectNode create(ObjectNode object) {
        ResourceType type = object.path("kind").asText().equals("Pod") ? ResourceType.PODS : ResourceType.REPLICA_SETS;
        return ADMIN.create(type, namespace, object);
    }

    private ObjectNode replicaSet(String name) {
        return ADMIN.get(ResourceType.REPLICA_SETS, namespace, name).orElseThrow();
    }

    @Test
    void createsTheMissingPodsFromTheTemplateWithAControllerReference() throws Exception {
        ObjectNode rs = create(Workloads.replicaSet("web", 3, "web"));

        Result result = reconcile("web");

        assertThat(result.requeue()).isFalse();
        List<ObjectNode> pods = Workloads.pods(ADMIN, namespace);
        assertThat(pods).hasSize(3);
        for (ObjectNode pod : pods) {
            assertThat(Meta.name(pod)).matches("web-[" + PodSlots.ALPHABET + "]{5}");
            assertThat(pod.path("metadata").path("generateName").asText()).isEqualTo("web-");
            assertThat(pod.path("metadata").path("labels").path("app").asText()).isEqualTo("web");
            assertThat(pod.path("metadata").path("labels").path("tier").asText()).isEqualTo("web");
            assertThat(pod.path("metadata").path("annotations").path("note").asText()).isEqualTo("from-template");
            JsonNode owner = pod.path("metadata").path("ownerReferences").get(0);
            assertThat(owner.path("apiVersion").asText()).isEqualTo("apps/v1");
            assertThat(owner.path("kind").asText()).isEqualTo("ReplicaSet");
            assertThat(owner.path("name").asText()).isEqualTo("web");
            assertThat(owner.path("uid").asText()).isEqualTo(Meta.uid(rs));
            assertThat(owner.path("controller").asBoolean()).isTrue();
            assertThat(owner.path("blockOwnerDeletion").asBoolean()).isTrue();
            assertThat(pod.path("spec").path("containers").get(0).path("image").asText()).isEqualTo("nginx");
        }
        assertThat(Workloads.events(ADMIN, namespace, "web")).containsExactlyInAnyOrderElementsOf(
                pods.stream().map(p -> "SuccessfulCreate: Created pod: " + Meta.name(p)).toList());
        // The status counts what the sync found before it acted, like Kubernetes'; the next sync counts the pods.
        ObjectNode status = (ObjectNode) replicaSet("web").path("status");
        assertThat(status.path("replicas").asInt(-1)).isZero();
        assertThat(status.path("observedGeneration").asLong()).isEqualTo(1);
    }

    @Test
    void aSecondSyncCountsThePodsAndChangesNothingElse() throws Exception {
        create(Workloads.replicaSet("web", 3, "web"));
        reconcile("web");
        List<String> names = Workloads.pods(ADMIN, namespace).stream().map(Meta::name).sorted().toList();

        reconcile("web");
        String resourceVersion = Meta.resourceVersion(replicaSet("web"));
        reconcile("web");

        assertThat(Workloads.pods(ADMIN, namespace).stream().map(Meta::name).sorted().toList()).isEqualTo(names);
        JsonNode status = replicaSet("web").path("status");
        assertThat(status.path("replicas").asInt()).isEqualTo(3);
        assertThat(status.path("fullyLabeledReplicas").asInt()).isEqualTo(3);
        assertThat(status.has("readyReplicas")).isFalse();
        assertThat(Meta.resourceVersion(replicaSet("web"))).as("the third sync writes nothing")
                .isEqualTo(resourceVersion);
        assertThat(Workloads.events(ADMIN, namespace, "web")).hasSize(3);
    }

    @Test
    void aKeyForAReplicaSetThatIsGoneIsDone() throws Exception {
        assertThat(reconcile("never-was")).isEqualTo(Result.DONE);
        assertThat(Workloads.pods(ADMIN, namespace)).isEmpty();
    }

    @Test
    void adoptsMatchingOrphansAndCreatesOnlyWhatIsStillMissing() throws Exception {
        ObjectNode orphan = create(Workloads.pod("stray", "web"));
        create(Workloads.pod("other-app", "db"));
        ObjectNode rs = create(Workloads.replicaSet("web", 2, "web"));

        reconcile("web");

        ObjectNode adopted = ADMIN.get(ResourceType.PODS, namespace, "stray").orElseThrow();
        assertThat(OwnerReferences.isControlledBy(adopted, Meta.uid(rs))).isTrue();
        assertThat(Meta.uid(adopted)).isEqualTo(Meta.uid(orphan));
        ObjectNode untouched = ADMIN.get(ResourceType.PODS, namespace, "other-app").orElseThrow();
        assertThat(OwnerReferences.controllerOf(untouched)).isEmpty();
        assertThat(Workloads.pods(ADMIN, namespace)).hasSize(3); // stray, other-app and one new pod
    }

    @Test
    void releasesAPodWhoseLabelsNoLongerMatchAndReplacesIt() throws Exception {
        ObjectNode rs = create(Workloads.replicaSet("web", 1, "web"));
        reconcile("web");
        ObjectNode pod = Workloads.pods(ADMIN, namespace).get(0);
        ObjectNode relabel = TestCluster.object("""
                {"metadata":{"labels":{"app":"debugging"}}}""");
        ADMIN.mergePatch(ResourceType.PODS, namespace, Meta.name(pod), "", relabel);

        reconcile("web");

        ObjectNode released = ADMIN.get(ResourceType.PODS, namespace, Meta.name(pod)).orElseThrow();
        assertThat(released.path("metadata").has("ownerReferences")).isFalse();
        List<ObjectNode> owned = Workloads.pods(ADMIN, namespace).stream()
                .filter(p -> OwnerReferences.isControlledBy(p, Meta.uid(rs))).toList();
        assertThat(owned).hasSize(1);
        assertThat(Meta.name(owned.get(0))).isNotEqualTo(Meta.name(pod));
    }

    @Test
    void aReplicaSetBeingDeletedNeitherAdoptsNorCreates() throws Exception {
        create(Workloads.replicaSet("web", 3, "web"));
        create(Workloads.pod("stray", "web"));
        // Foreground deletion keeps it (with a finalizer and a deletionTimestamp) until its dependents are gone.
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "web", "Foreground", null);
        assertThat(Meta.isBeingDeleted(replicaSet("web"))).isTrue();

        reconcile("web");

        assertThat(Workloads.pods(ADMIN, namespace)).hasSize(1);
        assertThat(OwnerReferences.controllerOf(ADMIN.get(ResourceType.PODS, namespace, "stray").orElseThrow()))
                .isEmpty();
        assertThat(replicaSet("web").path("status").path("replicas").asInt(-1)).isZero();
    }

    @Test
    void podsThatAreTerminatingOrFinishedDoNotCountAndAreReplaced() throws Exception {
        create(Workloads.replicaSet("web", 3, "web"));
        reconcile("web");
        List<ObjectNode> pods = Workloads.pods(ADMIN, namespace);
        Workloads.setStatus(ADMIN, pods.get(0), "Succeeded", false, clock.instant());
        Workloads.setStatus(ADMIN, pods.get(1), "Failed", false, clock.instant());
        ensureNode("node-1");
        ObjectNode bound = Workloads.bind(ADMIN, pods.get(2), "node-1");
        ADMIN.delete(ResourceType.PODS, namespace, Meta.name(bound), null, null); // graceful: stays terminating
        assertThat(Meta.isBeingDeleted(ADMIN.get(ResourceType.PODS, namespace, Meta.name(bound)).orElseThrow()))
                .isTrue();

        reconcile("web");

        List<ObjectNode> after = Workloads.pods(ADMIN, namespace);
        assertThat(after).hasSize(6);
        assertThat(after.stream().filter(Pods::isActive)).hasSize(3);
        assertThat(replicaSet("web").path("status").path("replicas").asInt(-1)).isZero();
    }

    @Test
    void deletesTheSurplusPodsThatAreLeastFarAlong() throws Exception {
        create(Workloads.replicaSet("web", 4, "web"));
        reconcile("web");
        List<ObjectNode> pods = Workloads.pods(ADMIN, namespace);
        ensureNode("node-1");
        ObjectNode readyOld = Workloads.setStatus(ADMIN, Workloads.bind(ADMIN, pods.get(0), "node-1"), "Running",
                true, clock.instant().minus(Duration.ofHours(1)));
        ObjectNode readyNew = Workloads.setStatus(ADMIN, Workloads.bind(ADMIN, pods.get(1), "node-1"), "Running",
                true, clock.instant().minusSeconds(5));
        ObjectNode pending = Workloads.bind(ADMIN, pods.get(2), "node-1");
        ObjectNode unassigned = pods.get(3);
        ObjectNode scale = TestCluster.object("{\"spec\":{\"replicas\":1}}");
        ADMIN.mergePatch(ResourceType.REPLICA_SETS, namespace, "web", "", scale);

        reconcile("web");

        // Unassigned, then pending, then the pod ready for less time go first; the long-ready one stays.
        assertThat(Workloads.pods(ADMIN, namespace).stream().filter(Pods::isActive).map(Meta::name).toList())
                .containsExactly(Meta.name(readyOld));
        assertThat(Workloads.events(ADMIN, namespace, "web")).contains(
                "SuccessfulDelete: Deleted pod: " + Meta.name(unassigned),
                "SuccessfulDelete: Deleted pod: " + Meta.name(pending),
                "SuccessfulDelete: Deleted pod: " + Meta.name(readyNew));
    }

    @Test
    void countsReadyAndAvailablePodsAndComesBackWhenOneBecomesAvailable() throws Exception {
        ObjectNode spec = Workloads.replicaSet("web", 3, "web");
        ((ObjectNode) spec.path("spec")).put("minReadySeconds", 10);
        create(spec);
        reconcile("web");
        List<ObjectNode> pods = Workloads.pods(ADMIN, namespace);
        Instant now = clock.instant();
        Workloads.setStatus(ADMIN, pods.get(0), "Running", true, now.minusSeconds(60)); // available
        Workloads.setStatus(ADMIN, pods.get(1), "Running", true, now.minusSeconds(4)); // available in 6 s
        Workloads.setStatus(ADMIN, pods.get(2), "Running", false, now);

        Result result = reconcile("web");

        JsonNode status = replicaSet("web").path("status");
        assertThat(status.path("replicas").asInt()).isEqualTo(3);
        assertThat(status.path("readyReplicas").asInt()).isEqualTo(2);
        assertThat(status.path("availableReplicas").asInt()).isEqualTo(1);
        assertThat(result.requeueAfter()).isEqualTo(Duration.ofSeconds(7)); // 6 s left, plus a second for skew

        clock.advance(Duration.ofSeconds(7));
        assertThat(reconcile("web").requeue()).isFalse();
        assertThat(replicaSet("web").path("status").path("availableReplicas").asInt()).isEqualTo(2);
    }

    @Test
    void aRefusedCreateSetsReplicaFailureRecordsAnEventAndTriesAgainLater() throws Exception {
        ADMIN.create(new ResourceType("", "v1", "resourcequotas", true), namespace, TestCluster.object("""
                {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"pods"},"spec":{"hard":{"pods":"1"}}}"""));
        create(Workloads.replicaSet("web", 3, "web"));

        Result result = reconcile("web");

        assertThat(result.requeueAfter()).isEqualTo(ReplicaSetSync.REFUSED_RETRY);
        assertThat(Workloads.pods(ADMIN, namespace)).hasSize(1); // the first batch (1) passed, the second failed
        JsonNode condition = replicaSet("web").path("status").path("conditions").get(0);
        assertThat(condition.path("type").asText()).isEqualTo("ReplicaFailure");
        assertThat(condition.path("status").asText()).isEqualTo("True");
        assertThat(condition.path("reason").asText()).isEqualTo("FailedCreate");
        assertThat(condition.path("message").asText()).contains("exceeded quota");
        assertThat(Workloads.events(ADMIN, namespace, "web"))
                .anyMatch(e -> e.startsWith("FailedCreate: Error creating: ") && e.contains("exceeded quota"));

        ADMIN.delete(new ResourceType("", "v1", "resourcequotas", true), namespace, "pods", null, null);
        reconcile("web");
        reconcile("web");
        assertThat(Workloads.pods(ADMIN, namespace)).hasSize(3);
        assertThat(replicaSet("web").path("status").has("conditions")).isFalse();
    }

    @Test
    void anOrphanPodKeyLetsTheOldestMatchingReplicaSetAdoptIt() throws Exception {
        ObjectNode older = create(Workloads.replicaSet("zz-older", 0, "web"));
        Thread.sleep(1100); // creation timestamps have whole seconds; the newer one sorts first by name
        create(Workloads.replicaSet("aa-newer", 0, "web"));
        ObjectNode pod = create(Workloads.pod("stray", "web"));

        List<ObjectKey> keys = loop.keys().keysFor(new dev.kumo.apimachinery.store.WatchEvent(
                dev.kumo.apimachinery.store.WatchEvent.Type.ADDED, 1, new ObjectKey("pods", namespace, "stray"),
                pod, 0));
        assertThat(keys).containsExactly(ReplicaSetKeys.orphanPodKey(namespace, "stray"));
        assertThat(loop.reconciler().reconcile(keys.get(0))).isEqualTo(Result.DONE);

        ObjectNode adopted = ADMIN.get(ResourceType.PODS, namespace, "stray").orElseThrow();
        assertThat(OwnerReferences.isControlledBy(adopted, Meta.uid(older))).isTrue();
        // Run again (a duplicate message): it has a controller now, nothing changes.
        assertThat(loop.reconciler().reconcile(keys.get(0))).isEqualTo(Result.DONE);
        assertThat(Meta.resourceVersion(ADMIN.get(ResourceType.PODS, namespace, "stray").orElseThrow()))
                .isEqualTo(Meta.resourceVersion(adopted));
    }

    @Test
    void anOrphanPodInANamespaceWithoutReplicaSetsCostsOneListAndNoReadOfThePod() throws Exception {
        create(Workloads.pod("bare", "web"));
        CallerBreakdown.Snapshot before = CLUSTER.requests().snapshot();

        assertThat(loop.reconciler().reconcile(ReplicaSetKeys.orphanPodKey(namespace, "bare"))).isEqualTo(Result.DONE);

        assertThat(CLUSTER.requests().snapshot().minus(before).requests()).containsOnlyKeys(
                "kumo-controllers-test list replicasets");
    }

    private void ensureNode(String name) {
        if (ADMIN.get(ResourceType.NODES, "", name).isPresent()) {
            return;
        }
        ADMIN.create(ResourceType.NODES, "", TestCluster.object("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},
                 "status":{"capacity":{"cpu":"8","memory":"16Gi","pods":"110"},
                           "allocatable":{"cpu":"8","memory":"16Gi","pods":"110"}}}""".formatted(name)));
    }
}
