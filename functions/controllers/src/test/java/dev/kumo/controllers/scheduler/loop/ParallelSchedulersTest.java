package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.BatchReconciler;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several scheduler invocations at once, each with its own loop instance (its own snapshot, kept between its
 * batches, so stale), scheduling many pods onto few nodes: no node is ever given more than its allocatable cpu or
 * its pod count, and every pod that fits ends bound (the rest are marked Unschedulable).
 */
class ParallelSchedulersTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final int INVOCATIONS = 4;
    private static final int PODS = 120;
    private static final int BATCH = 10;
    /** Pod limits of six nodes of 2 cpu; pods ask 300m, so a node holds min(6, limit) of them. */
    private static final int[] POD_LIMITS = {110, 4, 110, 5, 110, 3};

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @Test
    void parallelSchedulersNeverOvercommitANodeAndBindEveryPodThatFits() throws Exception {
        KubeClient admin = CLUSTER.admin();
        int capacity = 0;
        for (int i = 0; i < POD_LIMITS.length; i++) {
            Fixtures.createNode(admin, Fixtures.node("n" + i, "2", Integer.toString(POD_LIMITS[i])));
            capacity += Math.min(6, POD_LIMITS[i]);
        }
        List<List<ObjectKey>> shares = new ArrayList<>();
        for (int t = 0; t < INVOCATIONS; t++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < PODS; i++) {
            Fixtures.createPod(admin, Fixtures.pod("p" + i, "300m", 0));
            shares.get(i % INVOCATIONS).add(Fixtures.key("p" + i));
        }

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(INVOCATIONS);
        List<Future<Integer>> runs = new ArrayList<>();
        for (List<ObjectKey> share : shares) {
            ControlLoop loop = SchedulerLoop.loop(Fixtures.schedulerContext(CLUSTER, Clock.systemUTC()));
            runs.add(threads.submit(invocation(loop, share, go)));
        }
        go.countDown();
        int requeues = 0;
        for (Future<Integer> run : runs) {
            requeues += run.get(5, TimeUnit.MINUTES);
        }
        threads.shutdown();

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

    /** One invocation after another, as a host would: batches of keys, requeued keys again until done. */
    private static Callable<Integer> invocation(ControlLoop loop, List<ObjectKey> keys, CountDownLatch go) {
        return () -> {
            go.await();
            BatchReconciler reconciler = (BatchReconciler) loop.reconciler();
            List<ObjectKey> todo = new ArrayList<>(keys);
            int requeues = 0;
            while (!todo.isEmpty()) {
                List<ObjectKey> batch = new ArrayList<>(todo.subList(0, Math.min(BATCH, todo.size())));
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
