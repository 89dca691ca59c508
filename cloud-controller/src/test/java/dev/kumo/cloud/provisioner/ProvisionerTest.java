package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.local.LocalInstances;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provisioner's decisions against the real API server (as the cloud controller, under its RBAC role) and the
 * local provider's real instance records: launching to the floor, scale-up sizing and pool choice through the
 * scheduler's plugins, max respected, upcoming instances counted, empty nodes removed after their TTL down to the
 * floor, and repeated passes launching nothing twice.
 */
class ProvisionerTest {
    private TestCluster cluster;
    private KubeClient admin;
    private PoolFixtures fixtures;
    private LocalInstances instances;
    private final Instant start = Instant.parse("2026-11-24T03:00:00Z");
    private final MutableClock clock = new MutableClock(start);
    private Provisioner provisioner;

    @TempDir
    Path home;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster();
        admin = cluster.admin();
        fixtures = new PoolFixtures(admin);
        fixtures.namespace("work");
        instances = new LocalInstances(home.resolve("instances"));
        provisioner = provisioner(instances);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private Provisioner provisioner(LocalInstances cloud) {
        KubeClient client = cluster.cloudController();
        return new Provisioner(client, cloud, new EventRecorder(client, ProvisionerLoop.COMPONENT, clock), clock);
    }

    private List<Instance> instancesOf(String pool) {
        return instances.list().stream().filter(i -> i.nodePool().equals(pool)).toList();
    }

    private ObjectNode pool(String name) {
        return admin.get(ResourceType.NODE_POOLS, "", name).orElseThrow();
    }

    private List<String> events(String reason) {
        return admin.list(ResourceType.EVENTS, "", "", "reason=" + reason).stream()
                .map(e -> e.path("involvedObject").path("name").asText() + ": " + e.path("message").asText())
                .toList();
    }

    @Test
    void aPoolIsLaunchedToItsMinimumOnceWithItsLabelsAndTaints() throws Exception {
        fixtures.pool("web", "kumo.small", 2, 5, """
                "labels":{"tier":"web"},"taints":[{"key":"dedicated","value":"web","effect":"NoSchedule"}]""");

        provisioner.reconcile(ProvisionerKeys.pool("web"));
        provisioner.reconcile(ProvisionerKeys.pool("web"));

        assertThat(instancesOf("web")).extracting(Instance::nodeName).containsExactly("web-1", "web-2");
        assertThat(pool("web").path("status").path("launchCount").asLong()).isEqualTo(2);
        assertThat(pool("web").path("status").path("replicas").asLong()).isEqualTo(2);
        var record = instances.store().find("web-1").orElseThrow();
        assertThat(record.labels()).containsEntry("tier", "web").containsEntry(NodePool.POOL_LABEL, "web");
        assertThat(record.taints()).singleElement().satisfies(t -> {
            assertThat(t.key()).isEqualTo("dedicated");
            assertThat(t.effect()).isEqualTo("NoSchedule");
        });
        assertThat(events("TriggeredScaleUp")).containsExactly(
                "web: Scale-up: launching 2 nodes to reach the pool's size 2 (max: 5)");
    }

    @Test
    void kubectlScaleSetsTheFloorWithinTheBounds() throws Exception {
        fixtures.pool("batch", "kumo.small", 1, 3, "\"replicas\":9");

        provisioner.reconcile(ProvisionerKeys.pool("batch"));

        assertThat(pool("batch").path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(instancesOf("batch")).hasSize(3);
    }

    @Test
    void theSameReconcileTwiceAtOnceLaunchesEachInstanceOnce() throws Exception {
        fixtures.pool("twice", "kumo.small", 2, 4, "");
        Provisioner other = provisioner(new LocalInstances(home.resolve("instances")));

        List<Result> results = concurrently(() -> provisioner.reconcile(ProvisionerKeys.pool("twice")),
                () -> other.reconcile(ProvisionerKeys.pool("twice")));
        // Whichever lost the status write looks again, as the queue would redeliver it.
        for (Result result : results) {
            if (result.requeue()) {
                provisioner.reconcile(ProvisionerKeys.pool("twice"));
            }
        }

        assertThat(instancesOf("twice")).extracting(Instance::nodeName).containsExactly("twice-1", "twice-2");
        assertThat(instances.store().all()).hasSize(2);
    }

    @Test
    void pendingPodsGrowThePoolByTheNodesThatHoldThem() throws Exception {
        fixtures.pool("small", "kumo.small", 0, 10, "");
        // kumo.small has 2 cpus: two 900m pods share a node, the fifth needs a third.
        for (int i = 1; i <= 5; i++) {
            fixtures.unschedulablePod("work", "p" + i, "900m", "");
        }

        provisioner.reconcile(ProvisionerKeys.SCALE_UP);

        assertThat(instancesOf("small")).hasSize(3);
        assertThat(events("TriggeredScaleUp")).contains("small: Scale-up: setting group small size to 3 instead of 0 "
                + "(max: 10)", "p1: pod triggered scale-up: [{small 0->3 (max: 10)}]");

        // Nothing more while the instances have not registered: they are capacity on its way.
        provisioner.reconcile(ProvisionerKeys.SCALE_UP);
        assertThat(instancesOf("small")).hasSize(3);
    }

    /**
     * An EC2 node registers tainted uninitialized, without its pool's labels, until the cloud node controller
     * initializes it: meanwhile it is still capacity on its way, not a node the pending pod cannot use.
     */
    @Test
    void aRegisteredNodeNotYetInitializedStillCountsAsItsPoolsNode() throws Exception {
        fixtures.pool("labelled", "kumo.small", 0, 5, "\"labels\":{\"tier\":\"web\"}");
        fixtures.unschedulablePod("work", "picky", "900m", "\"nodeSelector\":{\"tier\":\"web\"}");
        provisioner.reconcile(ProvisionerKeys.SCALE_UP);
        assertThat(instancesOf("labelled")).hasSize(1);
        Instance launched = instancesOf("labelled").getFirst();
        ObjectNode registered = fixtures.nodeOf(launched, start, "2");
        ((ObjectNode) registered.path("metadata").path("labels")).remove("kumo.dev/node-pool");
        ((ObjectNode) registered.path("spec")).putArray("taints").addObject()
                .put("key", "node.cloudprovider.kubernetes.io/uninitialized").put("value", "true")
                .put("effect", "NoSchedule");
        admin.update(ResourceType.NODES, registered);

        provisioner.reconcile(ProvisionerKeys.SCALE_UP);

        assertThat(instancesOf("labelled")).as("no second instance for the same pod").hasSize(1);
    }

    @Test
    void aLaunchCountThatFellBehindSkipsTheTokensUsedAndLaunchesNewInstances() throws Exception {
        fixtures.pool("behind", "kumo.small", 1, 5, "");
        provisioner.reconcile(ProvisionerKeys.pool("behind"));
        // Ordinals 2 and 3 were launched by passes whose count was lost (their status writes lost a race);
        // ordinal 3's instance has been terminated since. status.launchCount still says 1.
        String uid = Meta.uid(pool("behind"));
        instances.launch(new InstanceRequest(uid + "-2", "behind", "kumo.small", null, Map.of()));
        Instance gone = instances.launch(new InstanceRequest(uid + "-3", "behind", "kumo.small", null, Map.of()));
        instances.terminate(gone.providerId());
        assertThat(pool("behind").path("status").path("launchCount").asLong()).isEqualTo(1);
        for (Instance instance : instancesOf("behind")) {
            fixtures.nodeOf(instance, start, "2");
            fixtures.pod("work", "full-" + instance.nodeName(), instance.nodeName(), "1800m", "");
        }
        fixtures.unschedulablePod("work", "waiting", "900m", "");

        provisioner.reconcile(ProvisionerKeys.SCALE_UP);

        assertThat(instancesOf("behind")).extracting(Instance::nodeName)
                .containsExactly("behind-1", "behind-2", "behind-4");
        assertThat(pool("behind").path("status").path("launchCount").asLong()).isEqualTo(4);
    }

    @Test
    void scaleUpStopsAtTheMaximum() throws Exception {
        fixtures.pool("capped", "kumo.small", 0, 2, "");
        for (int i = 1; i <= 6; i++) {
            fixtures.unschedulablePod("work", "p" + i, "1500m", "");
        }

        provisioner.reconcile(ProvisionerKeys.SCALE_UP);
        provisioner.reconcile(ProvisionerKeys.SCALE_UP);

        assertThat(instancesOf("capped")).hasSize(2);
    }

    @Test
    void thePoolWhoseNodesHoldThePodsIsChosen() throws Exception {
        fixtures.pool("a-small", "kumo.small", 0, 5, "");
        fixtures.pool("b-large", "kumo.large", 0, 5, "");
        fixtures.pool("c-gpu", "kumo.large", 0, 5, "\"labels\":{\"accelerator\":\"yes\"}");
        fixtures.unschedulablePod("work", "big", "3", "");
        fixtures.unschedulablePod("work", "picky", "100m", "\"nodeSelector\":{\"accelerator\":\"yes\"}");

        provisioner.reconcile(ProvisionerKeys.SCALE_UP);
        // Each pass grows one pool (cluster-autoscaler's one expansion per loop): the one helping most pods, then the
        // fewer nodes, then the name; "big" fits b-large and c-gpu, "picky" only c-gpu, so c-gpu first.
        assertThat(instancesOf("c-gpu")).hasSize(1);
        assertThat(instancesOf("a-small")).isEmpty();
        assertThat(instancesOf("b-large")).isEmpty();
    }

    @Test
    void podsThatNoPoolCanHoldLaunchNothing() throws Exception {
        fixtures.pool("tiny", "kumo.small", 0, 5, "");
        fixtures.unschedulablePod("work", "huge", "16", "");
        fixtures.pool("tainted", "kumo.large", 0, 5, """
                "taints":[{"key":"dedicated","value":"x","effect":"NoSchedule"}]""");
        fixtures.unschedulablePod("work", "intolerant", "4", "");

        provisioner.reconcile(ProvisionerKeys.SCALE_UP);

        assertThat(instances.list()).isEmpty();
    }

    @Test
    void emptyNodesGoAfterTheirTtlButNeverBelowTheFloor() throws Exception {
        fixtures.pool("shrink", "kumo.small", 1, 5, "\"emptyNodeTTL\":\"2m\"");
        List<Instance> launched = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            launched.add(instances.launch(new InstanceRequest(Meta.uid(pool("shrink")) + "-" + i, "shrink",
                    "kumo.small", null, Map.of())));
            fixtures.nodeOf(launched.getLast(), start, "2");
        }
        ObjectNode counted = pool("shrink").deepCopy();
        counted.withObjectProperty("status").put("launchCount", 3);
        admin.updateStatus(ResourceType.NODE_POOLS, counted);
        fixtures.pod("work", "busy", "shrink-1", "500m", "");

        Result first = provisioner.reconcile(ProvisionerKeys.pool("shrink"));

        assertThat(first.requeueAfter()).isEqualTo(Duration.ofMinutes(2));
        ObjectNode empty = admin.get(ResourceType.NODES, "", "shrink-2").orElseThrow();
        assertThat(empty.path("metadata").path("annotations").path(EmptyNodes.EMPTY_SINCE).asText())
                .isEqualTo(start.toString());
        assertThat(admin.get(ResourceType.NODES, "", "shrink-1").orElseThrow().path("metadata")
                .path("annotations").has(EmptyNodes.EMPTY_SINCE)).isFalse();

        clock.advance(Duration.ofSeconds(90));
        assertThat(provisioner.reconcile(ProvisionerKeys.pool("shrink")).requeueAfter())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(instancesOf("shrink")).hasSize(3);

        clock.advance(Duration.ofSeconds(30));
        provisioner.reconcile(ProvisionerKeys.pool("shrink"));

        // The two empty nodes are over the floor of 1, but the busy one stays: both empty ones go.
        assertThat(instancesOf("shrink")).extracting(Instance::nodeName).containsExactly("shrink-1");
        assertThat(admin.list(ResourceType.NODES, "", "kumo.dev/node-pool=shrink", "")).extracting(Meta::name)
                .containsExactly("shrink-1");
        assertThat(events("ScaleDown")).containsExactlyInAnyOrder(
                "shrink: Scale-down: removing empty node shrink-2 (empty for 2m0s)",
                "shrink: Scale-down: removing empty node shrink-3 (empty for 2m0s)");
        assertThat(pool("shrink").path("status").path("nodes").asInt()).isEqualTo(1);

        // Once the busy node's pod goes, it is empty too, but it is the floor: it stays.
        admin.delete(ResourceType.PODS, "work", "busy", jsonZeroGrace());
        provisioner.reconcile(ProvisionerKeys.pool("shrink"));
        clock.advance(Duration.ofMinutes(5));
        provisioner.reconcile(ProvisionerKeys.pool("shrink"));
        assertThat(instancesOf("shrink")).hasSize(1);
    }

    @Test
    void aDeletedPoolsInstancesAreTerminated() throws Exception {
        fixtures.pool("gone", "kumo.small", 2, 2, "");
        provisioner.reconcile(ProvisionerKeys.pool("gone"));
        assertThat(instancesOf("gone")).hasSize(2);

        admin.delete(ResourceType.NODE_POOLS, "", "gone", null, null);
        provisioner.reconcile(ProvisionerKeys.pool("gone"));

        assertThat(instancesOf("gone")).isEmpty();
    }

    private ObjectNode jsonZeroGrace() {
        return PoolFixtures.json("{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0}");
    }

    @SafeVarargs
    private static List<Result> concurrently(Callable<Result>... calls) throws Exception {
        try (ExecutorService executor = Executors.newFixedThreadPool(calls.length)) {
            List<Future<Result>> futures = new ArrayList<>();
            for (Callable<Result> call : calls) {
                futures.add(executor.submit(call));
            }
            List<Result> results = new ArrayList<>();
            for (Future<Result> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
