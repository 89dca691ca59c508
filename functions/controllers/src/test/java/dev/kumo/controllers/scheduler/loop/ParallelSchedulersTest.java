package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.BatchReconciler;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several scheduler invocations at once, each with its own loop instance (its own snapshot, kept between its
 * batches, so stale), scheduling many pods onto few nodes: no node is ever given more than its allocatable cpu or
 * its pod count, no DoNotSchedule topology spread constraint or required anti-affinity is violated, and every pod
 * that fits ends bound (the rest are marked Unschedulable). Each test has a cluster of its own.
 */
class ParallelSchedulersTest {
    private static final String HOSTNAME = "kubernetes.io/hostname";
    private static final int INVOCATIONS = 4;
    private static final int PODS = 120;
    private static final int BATCH = 10;
    /** Pod limits of six nodes of 2 cpu; pods ask 300m, so a node holds min(6, limit) of them. */
    private static final int[] POD_LIMITS = {110, 4, 110, 5, 110, 3};
    private final TestCluster cluster = new TestCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void parallelSchedulersNeverOvercommitANodeAndBindEveryPodThatFits() throws Exception {
        KubeClient admin = cluster.admin();
        int capacity = 0;
        for (int i = 0; i < POD_LIMITS.length; i++) {
            Fixtures.createNode(admin, Fixtures.node("n" + i, "2", Integer.toString(POD_LIMITS[i])));
            capacity += Math.min(6, POD_LIMITS[i]);
        }
        List<List<ObjectKey>> shares = shares(admin, PODS, name -> Fixtures.pod(name, "300m", 0));

        int requeues = runAtOnce(shares, BATCH);

        Map<String, Fixtures.Placed> placed = Fixtures.placedPerNode(admin);
        for (int i = 0; i < POD_LIMITS.length; i++) {
            Fixtures.Placed onNode = placed.getOrDefault("n" + i, new Fixtures.Placed(0, 0));
            assertThat(onNode.milliCpu()).as("cpu on n%d", i).isLessThanOrEqualTo(2000);
            assertThat(onNode.pods()).as("pods on n%d", i).isLessThanOrEqualTo(POD_LIMITS[i]);
        }
        int bound = placed.values().stream().mapToInt(Fixtures.Placed::pods).sum();
        assertThat(bound).as("bound pods (requeued keys: %d)", requeues).isEqualTo(capacity);
        List<ObjectNode> pending = admin.list(ResourceType.PODS, "default", "", "spec.nodeName=");
        assertThat(pending).hasSize(PODS - capacity).allSatisfy(pod -> assertThat(
                PendingPods.isMarkedUnschedulable(pod)).isTrue());
    }

    /**
     * The e2e failure that made the scheduler take a lease for such pods: four invocations placing replicas with
     * {@code maxSkew: 1} on the hostname each saw the others' pods too late, and the nodes ended far apart.
     */
    @Test
    void parallelSchedulersNeverViolateADoNotScheduleSpreadConstraint() throws Exception {
        KubeClient admin = cluster.admin();
        int nodes = 4;
        int pods = 24;
        for (int i = 0; i < nodes; i++) {
            Fixtures.createNode(admin, hostnamed(Fixtures.node("n" + i, "32", "110")));
        }
        List<List<ObjectKey>> shares = shares(admin, pods, name -> {
            ObjectNode pod = labelled(Fixtures.pod(name, "100m", 0), "spread");
            ObjectNode constraint = ((ObjectNode) pod.get("spec")).putArray("topologySpreadConstraints").addObject()
                    .put("maxSkew", 1).put("topologyKey", HOSTNAME).put("whenUnsatisfiable", "DoNotSchedule");
            constraint.putObject("labelSelector").putObject("matchLabels").put("app", "spread");
            return pod;
        });

        int requeues = runAtOnce(shares, 3);

        Map<String, Fixtures.Placed> placed = Fixtures.placedPerNode(admin);
        int bound = placed.values().stream().mapToInt(Fixtures.Placed::pods).sum();
        assertThat(bound).as("bound pods (requeued keys: %d)", requeues).isEqualTo(pods);
        for (int i = 0; i < nodes; i++) {
            assertThat(placed.getOrDefault("n" + i, new Fixtures.Placed(0, 0)).pods()).as("pods on n%d", i)
                    .isEqualTo(pods / nodes); // maxSkew 1 with 6 pods per node on average: exactly 6 each
        }
    }

    @Test
    void parallelSchedulersNeverViolateRequiredAntiAffinity() throws Exception {
        KubeClient admin = cluster.admin();
        int nodes = 6;
        int pods = 12;
        for (int i = 0; i < nodes; i++) {
            Fixtures.createNode(admin, hostnamed(Fixtures.node("n" + i, "32", "110")));
        }
        List<List<ObjectKey>> shares = shares(admin, pods, name -> {
            ObjectNode pod = labelled(Fixtures.pod(name, "100m", 0), "alone");
            ObjectNode term = ((ObjectNode) pod.get("spec")).putObject("affinity").putObject("podAntiAffinity")
                    .putArray("requiredDuringSchedulingIgnoredDuringExecution").addObject()
                    .put("topologyKey", HOSTNAME);
            term.putObject("labelSelector").putObject("matchLabels").put("app", "alone");
            return pod;
        });

        int requeues = runAtOnce(shares, 3);

        Map<String, Fixtures.Placed> placed = Fixtures.placedPerNode(admin);
        for (int i = 0; i < nodes; i++) {
            assertThat(placed.getOrDefault("n" + i, new Fixtures.Placed(0, 0)).pods())
                    .as("pods on n%d (requeued keys: %d)", i, requeues).isEqualTo(1);
        }
        List<ObjectNode> pending = admin.list(ResourceType.PODS, "default", "", "spec.nodeName=");
        assertThat(pending).hasSize(pods - nodes).allSatisfy(pod -> assertThat(
                PendingPods.isMarkedUnschedulable(pod)).isTrue());
    }

    /**
     * Bare pods that waiting pods' required anti-affinity selects are placed under the lease too: placed in parallel
     * they could land next to such a pod that the lease holder places at the same moment.
     */
    @Test
    void barePodsSelectedByAWaitingPodsRequiredAntiAffinityNeverLandNextToIt() throws Exception {
        KubeClient admin = cluster.admin();
        int nodes = 4;
        for (int i = 0; i < nodes; i++) {
            Fixtures.createNode(admin, hostnamed(Fixtures.node("n" + i, "32", "110")));
        }
        List<List<ObjectKey>> shares = shares(admin, 16, name -> {
            boolean loner = Integer.parseInt(name.substring(1)) % 4 == 0;
            ObjectNode pod = labelled(Fixtures.pod(name, "100m", 0), loner ? "loner" : "web");
            if (loner) {
                ObjectNode term = ((ObjectNode) pod.get("spec")).putObject("affinity").putObject("podAntiAffinity")
                        .putArray("requiredDuringSchedulingIgnoredDuringExecution").addObject()
                        .put("topologyKey", HOSTNAME);
                term.putObject("labelSelector").putObject("matchLabels").put("app", "web");
            }
            return pod;
        });

        int requeues = runAtOnce(shares, 2);

        Map<String, Set<String>> appsPerNode = new HashMap<>();
        for (ObjectNode pod : admin.list(ResourceType.PODS, "default", "", "")) {
            String node = pod.at("/spec/nodeName").asText("");
            if (node.isEmpty()) {
                assertThat(PendingPods.isMarkedUnschedulable(pod)).as("%s waits without a verdict",
                        pod.at("/metadata/name").asText()).isTrue();
            } else {
                appsPerNode.computeIfAbsent(node, n -> new TreeSet<>()).add(pod.at("/metadata/labels/app").asText());
            }
        }
        assertThat(appsPerNode.values()).as("apps per node (requeued keys: %d)", requeues)
                .noneMatch(apps -> apps.containsAll(List.of("loner", "web")));
    }

    private static ObjectNode hostnamed(ObjectNode node) {
        ((ObjectNode) node.get("metadata")).putObject("labels").put(HOSTNAME, node.at("/metadata/name").asText());
        return node;
    }

    private static ObjectNode labelled(ObjectNode pod, String app) {
        ((ObjectNode) pod.get("metadata")).putObject("labels").put("app", app);
        return pod;
    }

    /** Creates the pods and deals their keys out to the invocations in turn. */
    private static List<List<ObjectKey>> shares(KubeClient admin, int pods, Function<String, ObjectNode> pod) {
        List<List<ObjectKey>> shares = new ArrayList<>();
        for (int t = 0; t < INVOCATIONS; t++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < pods; i++) {
            Fixtures.createPod(admin, pod.apply("p" + i));
            shares.get(i % INVOCATIONS).add(Fixtures.key("p" + i));
        }
        return shares;
    }

    /** One invocation per share, each with its own loop (its own snapshot), all started at once; the requeues. */
    private int runAtOnce(List<List<ObjectKey>> shares, int batch) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(shares.size());
        List<Future<Integer>> runs = new ArrayList<>();
        for (List<ObjectKey> share : shares) {
            ControlLoop loop = SchedulerLoop.loop(Fixtures.schedulerContext(cluster, Clock.systemUTC()));
            runs.add(threads.submit(invocation(loop, share, batch, go)));
        }
        go.countDown();
        int requeues = 0;
        for (Future<Integer> run : runs) {
            requeues += run.get(5, TimeUnit.MINUTES);
        }
        threads.shutdown();
        return requeues;
    }

    /** One invocation after another, as a host would: batches of keys, requeued keys again until done. */
    private static Callable<Integer> invocation(ControlLoop loop, List<ObjectKey> keys, int size,
                                                CountDownLatch go) {
        return () -> {
            go.await();
            BatchReconciler reconciler = (BatchReconciler) loop.reconciler();
            List<ObjectKey> todo = new ArrayList<>(keys);
            int requeues = 0;
            while (!todo.isEmpty()) {
                List<ObjectKey> batch = new ArrayList<>(todo.subList(0, Math.min(size, todo.size())));
                todo.subList(0, batch.size()).clear();
                BatchReconciler.Outcomes outcomes = reconciler.reconcileBatch(batch);
                for (ObjectKey key : batch) {
                    Result result = outcomes.resultFor(key); // a failure fails the test
                    if (result.requeue()) {
                        requeues++;
                        todo.add(key);
                    }
                }
            }
            return requeues;
        };
    }
}
