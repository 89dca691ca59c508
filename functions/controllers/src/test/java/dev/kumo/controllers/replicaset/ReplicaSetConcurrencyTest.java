package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queues never run one key twice at once, but a message whose visibility times out while its sync still runs
 * can be delivered again: syncs of the same replica set that race must not create a pod twice.
 */
class ReplicaSetConcurrencyTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();
    private static final int RACERS = 4;

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @Test
    void racingSyncsOfOneReplicaSetCreateEachReplicaOnce() throws Exception {
        String namespace = Workloads.namespace(ADMIN, "race");
        ADMIN.create(ResourceType.REPLICA_SETS, namespace, Workloads.replicaSet("web", 20, "web"));

        race(namespace, "web");

        assertThat(Workloads.pods(ADMIN, namespace)).hasSize(20);
        assertThat(Workloads.eventCount(ADMIN, namespace, "web", "SuccessfulDelete"))
                .as("never a surplus to remove").isZero();
        assertThat(Workloads.eventCount(ADMIN, namespace, "web", "SuccessfulCreate")).isEqualTo(20);

        ObjectNode scale = TestCluster.object("{\"spec\":{\"replicas\":24}}");
        ADMIN.mergePatch(ResourceType.REPLICA_SETS, namespace, "web", "", scale);
        race(namespace, "web");

        assertThat(Workloads.pods(ADMIN, namespace)).hasSize(24);
        assertThat(Workloads.eventCount(ADMIN, namespace, "web", "SuccessfulDelete")).isZero();
        assertThat(Workloads.eventCount(ADMIN, namespace, "web", "SuccessfulCreate")).isEqualTo(24);
    }

    /** Several "invocations", each with its own client and recorder, sync the same key at once until done. */
    private static void race(String namespace, String name) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(RACERS)) {
            for (int i = 0; i < RACERS; i++) {
                Reconciler reconciler = ReplicaSetController.loop(
                        CLUSTER.controllerContext(ReplicaSetController.COMPONENT, Clock.systemUTC())).reconciler();
                runs.add(threads.submit(() -> {
                    start.await();
                    int syncs = 0;
                    Result result;
                    do {
                        result = reconciler.reconcile(new ObjectKey("apps/replicasets", namespace, name));
                        syncs++;
                    } while (result.requeue() && syncs < 5);
                    return syncs;
                }));
            }
            start.countDown();
            for (Future<Integer> run : runs) {
                run.get();
            }
        }
    }
}
