package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.BatchReconciler;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static dev.kumo.controllers.scheduler.loop.Fixtures.createNode;
import static dev.kumo.controllers.scheduler.loop.Fixtures.createPod;
import static dev.kumo.controllers.scheduler.loop.Fixtures.events;
import static dev.kumo.controllers.scheduler.loop.Fixtures.get;
import static dev.kumo.controllers.scheduler.loop.Fixtures.key;
import static dev.kumo.controllers.scheduler.loop.Fixtures.node;
import static dev.kumo.controllers.scheduler.loop.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One reconcile of one batch of keys against the real API (TestCluster), under kube-scheduler's identity: the
 * bindings, the PodScheduled condition, the events, preemption, and the retry on a cluster change.
 */
class SchedulingReconcilerTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private final TestCluster cluster = CLUSTER;
    private final KubeClient admin = CLUSTER.admin();

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    /** The scheduler sees every node and pod there is: each test starts from an empty cluster. */
    @BeforeEach
    void empty() {
        Fixtures.deleteAllPods(admin);
        for (ObjectNode node : admin.list(ResourceType.NODES, "", "", "")) {
            admin.delete(ResourceType.NODES, "", Meta.name(node), null, null);
        }
        for (ObjectNode event : admin.list(ResourceType.EVENTS, "default", "", "")) {
            admin.delete(ResourceType.EVENTS, "default", Meta.name(event), null, null);
        }
        admin.delete(ResourceType.LEASES, PositionsLease.NAMESPACE, PositionsLease.NAME, null, null);
    }

    private ControlLoop loop(Duration snapshotMaxAge) {
        return SchedulerLoop.loop(Fixtures.schedulerContext(cluster, Clock.systemUTC()), snapshotMaxAge);
    }

    private static BatchReconciler.Outcomes reconcile(ControlLoop loop, ObjectKey... keys) throws Exception {
        return ((BatchReconciler) loop.reconciler()).reconcileBatch(List.of(keys));
    }

    private static List<JsonNode> podScheduled(ObjectNode pod) {
        return StreamSupport.stream(pod.path("status").path("conditions").spliterator(), false)
                .filter(c -> c.path("type").asText().equals("PodScheduled")).toList();
    }

    @Test
    void bindsAPendingPodAndSaysSoOnceEvenWhenTheKeyComesAgain() throws Exception {
        createNode(admin, node("n1", "2", "110"));
        createPod(admin, pod("web", "500m", 0));
        ControlLoop loop = loop(Duration.ZERO);

        assertThat(loop.reconciler().reconcile(key("web"))).isEqualTo(Result.DONE);

        ObjectNode bound = get(admin, "web");
        assertThat(bound.path("spec").path("nodeName").asText()).isEqualTo("n1");
        assertThat(podScheduled(bound)).singleElement()
                .satisfies(c -> assertThat(c.path("status").asText()).isEqualTo("True"));
        List<ObjectNode> scheduled = events(admin, "web", "Scheduled");
        assertThat(scheduled).singleElement().satisfies(event -> {
            assertThat(event.path("message").asText()).isEqualTo("Successfully assigned default/web to n1");
            assertThat(event.path("type").asText()).isEqualTo("Normal");
            assertThat(event.path("source").path("component").asText()).isEqualTo("default-scheduler");
        });

        // The same key again (a duplicated or late message): the pod is bound, nothing more happens.
        assertThat(loop.reconciler().reconcile(key("web"))).isEqualTo(Result.DONE);
        assertThat(Meta.resourceVersion(get(admin, "web"))).isEqualTo(Meta.resourceVersion(bound));
        assertThat(events(admin, "web", "Scheduled")).hasSize(1);
    }

    @Test
    void aKeyForAPodThatIsGoneOrNotOursIsDone() throws Exception {
        createNode(admin, node("n1", "2", "110"));
        ObjectNode gated = pod("gated", "100m", 0);
        ((ObjectNode) gated.get("spec")).putArray("schedulingGates").addObject().put("name", "wait");
        createPod(admin, gated);
        ObjectNode foreign = pod("foreign", "100m", 0);
        ((ObjectNode) foreign.get("spec")).put("schedulerName", "my-scheduler");
        createPod(admin, foreign);
        ControlLoop loop = loop(Duration.ZERO);

        BatchReconciler.Outcomes outcomes = reconcile(loop, key("gone"), key("gated"), key("foreign"));

        assertThat(outcomes.failures()).isEmpty();
        for (String name : List.of("gone", "gated", "foreign")) {
            assertThat(outcomes.resultFor(key(name))).isEqualTo(Result.DONE);
        }
        assertThat(get(admin, "gated").path("spec").path("nodeName").asText("")).isEmpty();
        assertThat(get(admin, "foreign").path("spec").path("nodeName").asText("")).isEmpty();
        assertThat(podScheduled(get(admin, "foreign"))).isEmpty();
    }

    @Test
    void aBatchIsPlacedOneAfterAnotherOnOneSnapshot() throws Exception {
        createNode(admin, node("n1", "1", "110"));
        createNode(admin, node("n2", "1", "110"));
        List<ObjectKey> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            createPod(admin, pod("p" + i, "400m", 0));
            keys.add(key("p" + i));
        }
        ControlLoop loop = loop(Duration.ZERO);

        BatchReconciler.Outcomes outcomes = ((BatchReconciler) loop.reconciler()).reconcileBatch(keys);

        // Each placement is assumed before the next pod is placed: two per node, the fifth does not fit.
        assertThat(outcomes.failures()).isEmpty();
        assertThat(Fixtures.placedPerNode(admin)).containsOnlyKeys("n1", "n2")
                .allSatisfy((node, placed) -> assertThat(placed).isEqualTo(new Fixtures.Placed(800, 2)));
        ObjectNode left = admin.list(ResourceType.PODS, "default", "", "spec.nodeName=").getFirst();
        assertThat(PendingPods.isMarkedUnschedulable(left)).isTrue();
        assertThat(PendingPods.podScheduled(left).path("message").asText()).isEqualTo(
                "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: "
                        + "2 No preemption victims found for incoming pod.");
    }

    @Test
    void failedSchedulingSetsTheConditionAndTheEventWithKubeSchedulersMessage() throws Exception {
        ObjectNode tainted = node("gpu-1", "8", "110");
        ((ObjectNode) tainted.get("spec")).putArray("taints").addObject().put("key", "dedicated")
                .put("value", "gpu").put("effect", "NoSchedule");
        createNode(admin, tainted);
        createNode(admin, node("small-1", "1", "110"));
        createNode(admin, node("small-2", "1", "110"));
        createPod(admin, pod("big", "2", 0));
        ControlLoop loop = loop(Duration.ZERO);
        String message = "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
                + "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for "
                + "scheduling, 2 No preemption victims found for incoming pod.";

        assertThat(loop.reconciler().reconcile(key("big"))).isEqualTo(Result.DONE);

        ObjectNode pod = get(admin, "big");
        assertThat(pod.path("spec").path("nodeName").asText("")).isEmpty();
        assertThat(podScheduled(pod)).singleElement().satisfies(condition -> {
            assertThat(condition.path("status").asText()).isEqualTo("False");
            assertThat(condition.path("reason").asText()).isEqualTo("Unschedulable");
            assertThat(condition.path("message").asText()).isEqualTo(message);
        });
        assertThat(events(admin, "big", "FailedScheduling")).singleElement().satisfies(event -> {
            assertThat(event.path("type").asText()).isEqualTo("Warning");
            assertThat(event.path("message").asText()).isEqualTo(message);
            assertThat(event.path("count").asInt()).isEqualTo(1);
        });

        // The status write comes back as a change of the pod, hence its key: same verdict, nothing written.
        String version = Meta.resourceVersion(pod);
        assertThat(loop.reconciler().reconcile(key("big"))).isEqualTo(Result.DONE);
        assertThat(Meta.resourceVersion(get(admin, "big"))).isEqualTo(version);
        assertThat(events(admin, "big", "FailedScheduling").getFirst().path("count").asInt()).isEqualTo(1);

        // A retry after a cluster change that comes to the same verdict is another failed attempt: counted.
        assertThat(reconcile(loop, SchedulerKeys.CLUSTER_CHANGED).failures()).isEmpty();
        assertThat(events(admin, "big", "FailedScheduling")).singleElement()
                .satisfies(event -> assertThat(event.path("count").asInt()).isEqualTo(2));
        assertThat(Meta.resourceVersion(get(admin, "big"))).isEqualTo(version);
    }

    @Test
    void withoutNodesThePodIsUnschedulableWithKubeSchedulersMessage() throws Exception {
        createPod(admin, pod("early", "100m", 0));

        loop(Duration.ZERO).reconciler().reconcile(key("early"));

        JsonNode condition = PendingPods.podScheduled(get(admin, "early"));
        assertThat(condition.path("reason").asText()).isEqualTo("Unschedulable");
        assertThat(condition.path("message").asText()).isEqualTo("no nodes available to schedule pods");
        assertThat(events(admin, "early", "FailedScheduling")).singleElement()
                .satisfies(e -> assertThat(e.path("message").asText()).isEqualTo("no nodes available to schedule pods"));
    }

    @Test
    void anUnschedulablePodIsBoundAfterANodeIsAdded() throws Exception {
        createNode(admin, node("n1", "1", "110"));
        createPod(admin, pod("wide", "3", 0));
        ControlLoop loop = loop(Duration.ofHours(1)); // the retry must not trust a kept snapshot
        loop.reconciler().reconcile(key("wide"));
        assertThat(PendingPods.isMarkedUnschedulable(get(admin, "wide"))).isTrue();

        ObjectNode added = createNode(admin, node("n2", "4", "110"));
        List<ObjectKey> keys = loop.keys().keysFor(new WatchEvent(WatchEvent.Type.ADDED, 2,
                ObjectKey.cluster("nodes", "n2"), added, 0));
        assertThat(keys).containsExactly(SchedulerKeys.CLUSTER_CHANGED);
        BatchReconciler.Outcomes outcomes = ((BatchReconciler) loop.reconciler()).reconcileBatch(keys);

        assertThat(outcomes.failures()).isEmpty();
        ObjectNode pod = get(admin, "wide");
        assertThat(pod.path("spec").path("nodeName").asText()).isEqualTo("n2");
        assertThat(podScheduled(pod)).singleElement()
                .satisfies(c -> assertThat(c.path("status").asText()).isEqualTo("True"));
        assertThat(events(admin, "wide", "Scheduled")).singleElement().satisfies(e -> assertThat(
                e.path("message").asText()).isEqualTo("Successfully assigned default/wide to n2"));
    }

    @Test
    void aRefusedBindingIsScheduledAgainOnAFreshSnapshot() throws Exception {
        createNode(admin, node("x", "1", "110"));
        createNode(admin, node("y", "1", "110"));
        createPod(admin, pod("first", "1", 0));
        ControlLoop loop = loop(Duration.ofHours(1)); // keeps its snapshot: it will be stale
        loop.reconciler().reconcile(key("first"));
        String firstNode = get(admin, "first").path("spec").path("nodeName").asText();
        String otherNode = firstNode.equals("x") ? "y" : "x";

        // Behind the scheduler's back: the first pod goes, and another fills the other node.
        Fixtures.deleteNow(admin, "first");
        ObjectNode squatter = pod("squatter", "1", 0);
        ((ObjectNode) squatter.get("spec")).put("nodeName", otherNode);
        createPod(admin, squatter);
        createPod(admin, pod("second", "1", 0));

        // The kept snapshot has room only on the other node; the API refuses it; a fresh list finds the first.
        assertThat(loop.reconciler().reconcile(key("second"))).isEqualTo(Result.DONE);

        assertThat(get(admin, "second").path("spec").path("nodeName").asText()).isEqualTo(firstNode);
        assertThat(events(admin, "second", "FailedScheduling")).isEmpty();
    }

    @Test
    void preemptsLowerPriorityPodsAndBindsOnceTheyAreGone() throws Exception {
        createNode(admin, node("n1", "1", "110"));
        ObjectNode victim = pod("low", "800m", 0);
        ((ObjectNode) victim.get("spec")).put("nodeName", "n1");
        victim = createPod(admin, victim);
        ObjectNode preemptor = createPod(admin, pod("high", "500m", 1000));
        ControlLoop loop = loop(Duration.ZERO);

        assertThat(loop.reconciler().reconcile(key("high"))).isEqualTo(Result.DONE);

        // The victim: DisruptionTarget, deleted gracefully (it has a node: its agent would stop it), an event.
        ObjectNode leaving = get(admin, "low");
        assertThat(Meta.isBeingDeleted(leaving)).isTrue();
        JsonNode disruption = StreamSupport.stream(leaving.path("status").path("conditions").spliterator(), false)
                .filter(c -> c.path("type").asText().equals("DisruptionTarget")).findFirst().orElseThrow();
        assertThat(disruption.path("reason").asText()).isEqualTo("PreemptionByScheduler");
        assertThat(disruption.path("message").asText())
                .isEqualTo("default-scheduler: preempting to accommodate a higher priority pod");
        assertThat(events(admin, "low", "Preempted")).singleElement().satisfies(e -> assertThat(
                e.path("message").asText()).isEqualTo("Preempted by pod " + Meta.uid(preemptor) + " on node n1"));
        // The preemptor: nominated to the node, still unschedulable, with no preemption part in the message.
        ObjectNode waiting = get(admin, "high");
        assertThat(waiting.path("status").path("nominatedNodeName").asText()).isEqualTo("n1");
        assertThat(PendingPods.podScheduled(waiting).path("message").asText())
                .isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");

        // While the victim is still terminating, a retry neither preempts again nor binds.
        reconcile(loop, SchedulerKeys.CLUSTER_CHANGED);
        assertThat(events(admin, "low", "Preempted")).hasSize(1);
        assertThat(get(admin, "high").path("spec").path("nodeName").asText("")).isEmpty();

        // The victim's containers stop and the pod goes: that change retries the preemptor, which now fits.
        Fixtures.deleteNow(admin, "low");
        List<ObjectKey> keys = loop.keys().keysFor(new WatchEvent(WatchEvent.Type.DELETED, 9,
                new ObjectKey("pods", "default", "low"), leaving, 8));
        assertThat(reconcile(loop, keys.toArray(ObjectKey[]::new)).failures()).isEmpty();
        assertThat(get(admin, "high").path("spec").path("nodeName").asText()).isEqualTo("n1");
    }

    @Test
    void aPodThatMustKeepAwayFromOthersIsPlacedOnAFreshSnapshot() throws Exception {
        for (String name : List.of("w", "o")) {
            ObjectNode node = node(name, "4", "110");
            ((ObjectNode) node.get("metadata")).putObject("labels").put("kubernetes.io/hostname", name);
            createNode(admin, node);
        }
        createPod(admin, pod("warm", "2", 0));
        ControlLoop loop = loop(Duration.ofHours(1)); // keeps its snapshot
        loop.reconciler().reconcile(key("warm"));
        String warmNode = get(admin, "warm").path("spec").path("nodeName").asText();
        String emptyNode = warmNode.equals("w") ? "o" : "w";

        // Another scheduler places a database pod on the node the kept snapshot still sees empty.
        ObjectNode first = pod("db-1", "100m", 0);
        ((ObjectNode) first.get("metadata")).putObject("labels").put("app", "db");
        ((ObjectNode) first.get("spec")).put("nodeName", emptyNode);
        createPod(admin, first);
        ObjectNode second = pod("db-2", "100m", 0);
        ((ObjectNode) second.get("metadata")).putObject("labels").put("app", "db");
        ((ObjectNode) second.get("spec")).set("affinity", TestCluster.object("""
                {"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"kubernetes.io/hostname"}]}}"""));
        createPod(admin, second);

        assertThat(loop.reconciler().reconcile(key("db-2"))).isEqualTo(Result.DONE);

        // On the kept snapshot the empty node scores best; a fresh list shows db-1 there.
        assertThat(get(admin, "db-2").path("spec").path("nodeName").asText()).isEqualTo(warmNode);
    }

    /**
     * A scheduler that died holding the positions lease: pods that depend on positions wait (requeued after 1 s)
     * while bare pods are bound; once the lease is 15 s without renewal it is taken over, the pod is placed and the
     * lease released.
     */
    @Test
    void positionDependentPodsWaitForTheLeaseWhileOtherPodsAreBound() throws Exception {
        createNode(admin, node("n1", "2", "110"));
        createPod(admin, pod("bare", "100m", 0));
        ObjectNode loner = pod("loner", "100m", 0);
        ((ObjectNode) loner.get("spec")).set("affinity", TestCluster.object("""
                {"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"kubernetes.io/hostname"}]}}"""));
        createPod(admin, loner);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T06:00:00Z"));
        ObjectNode held = TestCluster.object("""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
                 "metadata":{"name":"kube-scheduler-positions","namespace":"kube-system"},
                 "spec":{"holderIdentity":"crashed","leaseDurationSeconds":15,
                         "acquireTime":"2026-11-24T06:00:00.000000Z","renewTime":"2026-11-24T06:00:00.000000Z",
                         "leaseTransitions":3}}""");
        admin.create(ResourceType.LEASES, "kube-system", held);
        ControlLoop loop = SchedulerLoop.loop(Fixtures.schedulerContext(cluster, clock), Duration.ZERO);

        BatchReconciler.Outcomes outcomes = reconcile(loop, key("bare"), key("loner"));

        assertThat(outcomes.resultFor(key("bare"))).isEqualTo(Result.DONE);
        assertThat(get(admin, "bare").path("spec").path("nodeName").asText()).isEqualTo("n1");
        assertThat(outcomes.resultFor(key("loner"))).isEqualTo(Result.requeueAfter(Duration.ofSeconds(1)));
        assertThat(get(admin, "loner").path("spec").path("nodeName").asText()).isEmpty();

        clock.advance(Duration.ofSeconds(16));
        assertThat(loop.reconciler().reconcile(key("loner"))).isEqualTo(Result.DONE);

        assertThat(get(admin, "loner").path("spec").path("nodeName").asText()).isEqualTo("n1");
        JsonNode lease = admin.get(ResourceType.LEASES, "kube-system", "kube-scheduler-positions").orElseThrow()
                .path("spec");
        assertThat(lease.path("holderIdentity").asText()).as("released").isEmpty();
        assertThat(lease.path("leaseTransitions").asInt()).as("taken over").isEqualTo(4);
    }

    @Test
    void preemptionPolicyNeverWaits() throws Exception {
        createNode(admin, node("n1", "1", "110"));
        ObjectNode victim = pod("low", "800m", 0);
        ((ObjectNode) victim.get("spec")).put("nodeName", "n1");
        createPod(admin, victim);
        ObjectNode polite = pod("polite", "500m", 1000);
        ((ObjectNode) polite.get("spec")).put("preemptionPolicy", "Never");
        createPod(admin, polite);

        loop(Duration.ZERO).reconciler().reconcile(key("polite"));

        assertThat(Meta.isBeingDeleted(get(admin, "low"))).isFalse();
        assertThat(PendingPods.podScheduled(get(admin, "polite")).path("message").asText()).isEqualTo(
                "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
    }
}
