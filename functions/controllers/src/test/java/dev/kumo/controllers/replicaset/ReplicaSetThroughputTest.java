package dev.kumo.controllers.replicaset;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast one replica set brings up 1,000 pods through the real API (embedded DynamoDB Local, loopback HTTP, all
 * in this JVM on this machine): the syncs a host would run, back to back, with their creates, events and status
 * writes. Prints pods per second beside the rate of as many bare creates (no controller, 64 in flight) measured
 * just before, after a warm-up; asserts only that all pods are there, exactly once.
 */
@Tag("slow")
class ReplicaSetThroughputTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final int REPLICAS = 1000;

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    /** The API's own ceiling on this machine: the same number of bare pod creates, 64 in flight, no controller. */
    private static double rawCreateRate(KubeClient admin, int count) throws Exception {
        String namespace = Workloads.namespace(CLUSTER.admin(), "raw");
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(PodControl.MAX_IN_FLIGHT);
        long start = System.nanoTime();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int n = i;
                threads.submit(() -> {
                    inFlight.acquire();
                    try {
                        return admin.create(ResourceType.PODS, namespace, Workloads.pod("raw-" + n, "raw"));
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    @Test
    void bringsUpAThousandPods() throws Exception {
        KubeClient admin = CLUSTER.admin();
        rawCreateRate(CLUSTER.controllerManager(), 300); // warms the API up
        double bare = rawCreateRate(CLUSTER.controllerManager(), REPLICAS);
        String namespace = Workloads.namespace(admin, "burst");
        admin.create(ResourceType.REPLICA_SETS, namespace, Workloads.replicaSet("web", REPLICAS, "web"));
        Reconciler reconciler = ReplicaSetController.loop(
                CLUSTER.controllerContext(ReplicaSetController.COMPONENT, Clock.systemUTC())).reconciler();
        ObjectKey key = new ObjectKey("apps/replicasets", namespace, "web");

        long start = System.nanoTime();
        int syncs = 0;
        Result result;
        do {
            result = reconciler.reconcile(key);
            syncs++;
        } while (result.requeue() && syncs < 10);
        double seconds = (System.nanoTime() - start) / 1e9;

        int pods = admin.list(ResourceType.PODS, namespace, "", "").size();
        System.out.printf("replicaset throughput: %d pods in %.2f s over %d syncs = %.0f pods/s"
                + " (bare creates, no controller: %.0f pods/s)%n",
                pods, seconds, syncs, pods / seconds, bare);
        assertThat(pods).isEqualTo(REPLICAS);
    }
}
