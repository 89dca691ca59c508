package dev.kumo.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class GarbageCollectorTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();
    private static final ControlLoop LOOP = GarbageCollector.loop(
            CLUSTER.controllerContext("garbage-collector-controller", Clock.systemUTC()));

    private String namespace;

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @BeforeEach
    void namespace() {
        namespace = "gc-" + UUID.randomUUID().toString().substring(0, 8);
        ADMIN.create(ResourceType.NAMESPACES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}"));
    }

    // --- what the API server does on DELETE, which the collector builds on ---

    @Test
    void theApiMarksForegroundAndOrphanDeletionsWithFinalizersAndDeletesBackgroundOnesAtOnce() {
        ObjectNode foreground = replicaSet("fg");
        ObjectNode orphan = replicaSet("or");
        replicaSet("bg");
        replicaSet("default");

        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "fg", "Foreground", null);
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "or", "Orphan", null);
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "bg", "Background", null);
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "default", null, null);

        ObjectNode marked = get(ResourceType.REPLICA_SETS, "fg").orElseThrow();
        assertThat(marked.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
        assertThat(finalizers(marked)).containsExactly("foregroundDeletion");
        assertThat(Meta.uid(marked)).isEqualTo(Meta.uid(foreground));
        assertThat(finalizers(get(ResourceType.REPLICA_SETS, "or").orElseThrow())).containsExactly("orphan");
        assertThat(Meta.uid(get(ResourceType.REPLICA_SETS, "or").orElseThrow())).isEqualTo(Meta.uid(orphan));
        assertThat(get(ResourceType.REPLICA_SETS, "bg")).isEmpty();
        assertThat(get(ResourceType.REPLICA_SETS, "default")).as("apps/v1 defaults to background").isEmpty();
    }

    // --- background: the sweep after an owner went ---

    @Test
    void aSweepDeletesTheDependentsOfAGoneOwnerAndOnlyUnlinksThoseWithAnotherLiveOwner() throws Exception {
        ObjectNode owner = replicaSet("web");
        ObjectNode other = configMap("keeper");
        pod("web-1", owner);
        pod("web-2", owner);
        pod("shared", owner, other);
        pod("unrelated");
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "web", "Background", null);

        assertThat(LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(namespace))).isEqualTo(Result.DONE);

        assertThat(podNames()).containsExactlyInAnyOrder("shared", "unrelated");
        assertThat(ownerUids(get(ResourceType.PODS, "shared").orElseThrow())).containsExactly(Meta.uid(other));
    }

    @Test
    void aRecreatedOwnerWithTheSameNameIsNotTheOwner() throws Exception {
        ObjectNode first = replicaSet("web");
        pod("web-1", first);
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "web", "Orphan", null);
        // The orphan finalizer keeps the old owner until the collector has run: take it off by hand.
        ADMIN.mergePatch(ResourceType.REPLICA_SETS, namespace, "web", "",
                TestCluster.object("{\"metadata\":{\"finalizers\":null}}"));
        ObjectNode second = replicaSet("web");
        pod("web-2", second);

        LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(namespace));

        assertThat(podNames()).containsExactly("web-2");
    }

    @Test
    void repeatedAndLateKeysChangeNothingMore() throws Exception {
        ObjectNode owner = replicaSet("web");
        pod("web-1", owner);
        ObjectNode keeper = configMap("keeper");
        pod("kept", owner, keeper);
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "web", "Background", null);
        LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(namespace));
        String keptVersion = Meta.resourceVersion(get(ResourceType.PODS, "kept").orElseThrow());

        assertThat(LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(namespace))).isEqualTo(Result.DONE);
        assertThat(LOOP.reconciler().reconcile(new ObjectKey("pods", namespace, "web-1"))).isEqualTo(Result.DONE);
        assertThat(LOOP.reconciler().reconcile(new ObjectKey("apps/replicasets", namespace, "web")))
                .isEqualTo(Result.DONE);

        assertThat(podNames()).containsExactly("kept");
        assertThat(Meta.resourceVersion(get(ResourceType.PODS, "kept").orElseThrow())).isEqualTo(keptVersion);
    }

    @Test
    void aDependentCreatedAfterItsOwnerWentIsCollectedOnItsOwnKey() throws Exception {
        ObjectNode owner = replicaSet("web");
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "web", "Background", null);
        pod("late", owner);
        ObjectNode live = replicaSet("live");
        pod("fine", live);

        LOOP.reconciler().reconcile(new ObjectKey("pods", namespace, "late"));
        LOOP.reconciler().reconcile(new ObjectKey("pods", namespace, "fine"));

        assertThat(podNames()).containsExactly("fine");
    }

    @Test
    void theDependentsOfAGoneClusterScopedOwnerAreFoundByTheClusterSweep() throws Exception {
        String nodeName = "gc-node-" + namespace;
        ObjectNode node = ADMIN.create(ResourceType.NODES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + nodeName + "\"}}"));
        ObjectNode lease = TestCluster.object("{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\","
                + "\"metadata\":{\"name\":\"" + nodeName + "\"},\"spec\":{\"holderIdentity\":\"" + nodeName + "\"}}");
        ((ObjectNode) lease.path("metadata")).set("ownerReferences", references(node));
        ADMIN.create(ResourceType.LEASES, namespace, lease);
        ADMIN.delete(ResourceType.NODES, "", nodeName, "Background", null);

        LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(Scan.CLUSTER));

        assertThat(get(ResourceType.LEASES, nodeName)).isEmpty();
    }

    // --- foreground ---

    @Test
    void aForegroundOwnerHasItsDependentsDeletedAndGoesWhenNoBlockingDependentRemains() throws Exception {
        ObjectNode owner = replicaSet("web");
        pod("web-1", owner);
        pod("web-2", owner);
        ObjectNode loose = podObject("loose", owner);
        ((ObjectNode) loose.path("metadata").path("ownerReferences").get(0)).put("blockOwnerDeletion", false);
        ADMIN.create(ResourceType.PODS, namespace, loose);
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "web", "Foreground", null);
        ObjectKey ownerKey = new ObjectKey("apps/replicasets", namespace, "web");

        Result first = LOOP.reconciler().reconcile(ownerKey);

        assertThat(podNames()).isEmpty();
        assertThat(first.requeue()).as("blocking dependents were there when it looked").isTrue();
        assertThat(finalizers(get(ResourceType.REPLICA_SETS, "web").orElseThrow())).contains("foregroundDeletion");
        // The pods' deletions call for the namespace's sweep, which lets the owner go.
        LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(namespace));
        assertThat(get(ResourceType.REPLICA_SETS, "web")).isEmpty();
    }

    @Test
    void aForegroundOwnerWaitsWhileABlockingDependentIsStillTerminating() throws Exception {
        ObjectNode owner = replicaSet("web");
        ObjectNode bound = podObject("bound", owner);
        ((ObjectNode) bound.path("spec")).put("nodeName", "some-node");
        ADMIN.create(ResourceType.PODS, namespace, bound);
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "web", "Foreground", null);

        LOOP.reconciler().reconcile(new ObjectKey("apps/replicasets", namespace, "web"));
        LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(namespace));

        ObjectNode terminating = get(ResourceType.PODS, "bound").orElseThrow();
        assertThat(Meta.isBeingDeleted(terminating)).as("a bound pod terminates gracefully").isTrue();
        assertThat(finalizers(get(ResourceType.REPLICA_SETS, "web").orElseThrow())).contains("foregroundDeletion");

        ADMIN.delete(ResourceType.PODS, namespace, "bound", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0}"));
        LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(namespace));
        assertThat(get(ResourceType.REPLICA_SETS, "web")).isEmpty();
    }

    @Test
    void aForegroundDeletionCascadesThroughADependentThatHasDependentsOfItsOwn() throws Exception {
        ObjectNode deployment = ADMIN.create(ResourceType.DEPLOYMENTS, namespace, workload("Deployment", "app"));
        ObjectNode replicaSet = workload("ReplicaSet", "app-1");
        ((ObjectNode) replicaSet.path("metadata")).set("ownerReferences", references(deployment));
        ObjectNode rs = ADMIN.create(ResourceType.REPLICA_SETS, namespace, replicaSet);
        pod("app-1-a", rs);
        ADMIN.delete(ResourceType.DEPLOYMENTS, namespace, "app", "Foreground", null);

        LOOP.reconciler().reconcile(new ObjectKey("apps/deployments", namespace, "app"));
        ObjectNode deleting = get(ResourceType.REPLICA_SETS, "app-1").orElseThrow();
        assertThat(finalizers(deleting)).as("it has a pod, so it goes in the foreground too")
                .contains("foregroundDeletion");

        LOOP.reconciler().reconcile(new ObjectKey("apps/replicasets", namespace, "app-1"));
        assertThat(podNames()).isEmpty();
        LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(namespace)); // the pod went: the replica set goes
        assertThat(get(ResourceType.REPLICA_SETS, "app-1")).isEmpty();
        LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(namespace)); // the replica set went
        assertThat(get(ResourceType.DEPLOYMENTS, "app")).isEmpty();
    }

    // --- orphan ---

    @Test
    void anOrphanOwnerLeavesItsDependentsWithoutTheReferenceAndGoes() throws Exception {
        ObjectNode owner = replicaSet("web");
        ObjectNode keeper = configMap("keeper");
        pod("web-1", owner);
        pod("web-2", owner, keeper);
        ADMIN.delete(ResourceType.REPLICA_SETS, namespace, "web", "Orphan", null);

        LOOP.reconciler().reconcile(new ObjectKey("apps/replicasets", namespace, "web"));

        assertThat(get(ResourceType.REPLICA_SETS, "web")).isEmpty();
        assertThat(podNames()).containsExactlyInAnyOrder("web-1", "web-2");
        assertThat(get(ResourceType.PODS, "web-1").orElseThrow().path("metadata").has("ownerReferences")).isFalse();
        assertThat(ownerUids(get(ResourceType.PODS, "web-2").orElseThrow())).containsExactly(Meta.uid(keeper));
        // The owner's deletion calls for a sweep: the orphans stay.
        LOOP.reconciler().reconcile(GarbageCollectorKeys.sweep(namespace));
        assertThat(podNames()).containsExactlyInAnyOrder("web-1", "web-2");
    }

    // --- helpers ---

    private ObjectNode replicaSet(String name) {
        return ADMIN.create(ResourceType.REPLICA_SETS, namespace, workload("ReplicaSet", name));
    }

    private static ObjectNode workload(String kind, String name) {
        return TestCluster.object("""
                {"apiVersion":"apps/v1","kind":"%s","metadata":{"name":"%s"},
                 "spec":{"replicas":0,"selector":{"matchLabels":{"app":"%s"}},
                  "template":{"metadata":{"labels":{"app":"%s"}},
                   "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""".formatted(kind, name, name, name));
    }

    private ObjectNode configMap(String name) {
        return ADMIN.create(ResourceType.CONFIG_MAPS, namespace, TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}"));
    }

    private void pod(String name, ObjectNode... owners) {
        ADMIN.create(ResourceType.PODS, namespace, podObject(name, owners));
    }

    private static ObjectNode podObject(String name, ObjectNode... owners) {
        ObjectNode pod = TestCluster.object("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
        if (owners.length > 0) {
            ((ObjectNode) pod.path("metadata")).set("ownerReferences", references(owners));
        }
        return pod;
    }

    /** Owner references as controllers write them: the first is the controller, all block the owner's deletion. */
    static ArrayNode references(ObjectNode... owners) {
        ArrayNode references = TestCluster.object("{\"r\":[]}").withArray("r");
        boolean first = true;
        for (ObjectNode owner : owners) {
            references.addObject().put("apiVersion", owner.path("apiVersion").asText())
                    .put("kind", owner.path("kind").asText()).put("name", Meta.name(owner))
                    .put("uid", Meta.uid(owner)).put("controller", first).put("blockOwnerDeletion", true);
            first = false;
        }
        return references;
    }

    private Optional<ObjectNode> get(ResourceType type, String name) {
        return ADMIN.get(type, type.namespaced() ? namespace : "", name);
    }

    private List<String> podNames() {
        return ADMIN.list(ResourceType.PODS, namespace, "", "").stream().map(Meta::name).toList();
    }

    private static List<String> finalizers(JsonNode object) {
        List<String> finalizers = new ArrayList<>();
        object.path("metadata").path("finalizers").forEach(f -> finalizers.add(f.asText()));
        return finalizers;
    }

    private static List<String> ownerUids(JsonNode object) {
        List<String> uids = new ArrayList<>();
        object.path("metadata").path("ownerReferences").forEach(r -> uids.add(r.path("uid").asText()));
        return uids;
    }
}
