package dev.kumo.controllers.garbagecollector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's shape: a replica set of 1,000 pods deleted in the background, collected by one sweep. */
@Tag("slow")
class GarbageCollectorScaleTest {
    private static final int PODS = 1_000;

    @Test
    void oneSweepCollectsAThousandPodsOfADeletedReplicaSet() throws Exception {
        try (TestCluster cluster = new TestCluster()) {
            KubeClient admin = cluster.admin();
            admin.create(ResourceType.NAMESPACES, "", TestCluster.object(
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"bench\"}}"));
            ObjectNode owner = admin.create(ResourceType.REPLICA_SETS, "bench", TestCluster.object("""
                    {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web"},
                     "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},
                      "template":{"metadata":{"labels":{"app":"web"}},
                       "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""));
            List<Callable<Void>> creates = new ArrayList<>();
            for (int i = 0; i < PODS; i++) {
                ObjectNode pod = TestCluster.object("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":"
                        + "\"web-" + i + "\",\"labels\":{\"app\":\"web\"}},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
                ((ObjectNode) pod.path("metadata")).set("ownerReferences", GarbageCollectorTest.references(owner));
                creates.add(() -> {
                    admin.create(ResourceType.PODS, "bench", pod);
                    return null;
                });
            }
            Parallel.run(creates);
            admin.delete(ResourceType.REPLICA_SETS, "bench", "web", "Background", null);
            GarbageCollector collector = new GarbageCollector(cluster.controllerManager(), Clock.systemUTC());

            long start = System.nanoTime();
            collector.reconcile(GarbageCollectorKeys.sweep("bench"));
            long sweepMillis = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            collector.reconcile(GarbageCollectorKeys.sweep("bench")); // what each pod's deletion then asks for
            long emptySweepMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(admin.list(ResourceType.PODS, "bench", "", "")).isEmpty();
            System.out.printf("garbage collector: sweep deleting %d pods took %d ms; a sweep finding nothing %d ms%n",
                    PODS, sweepMillis, emptySweepMillis);
        }
    }
}
