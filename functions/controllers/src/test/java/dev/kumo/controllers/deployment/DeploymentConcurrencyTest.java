package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Racing syncs of one deployment (a redelivered message) make one replica set, sized once. */
class DeploymentConcurrencyTest {
    private static final TestCluster CLUSTER = new TestCluster();

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @Test
    void racingSyncsCreateOneReplicaSet() throws Exception {
        DeploymentFixture f = new DeploymentFixture(CLUSTER, "deploy-race");
        f.create(DeploymentFixture.deployment("web", 4, "nginx:1", null));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Result>> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                Reconciler reconciler = DeploymentController.loop(
                        CLUSTER.controllerContext(DeploymentController.COMPONENT, f.clock)).reconciler();
                runs.add(threads.submit(() -> {
                    start.await();
                    return reconciler.reconcile(new ObjectKey("apps/deployments", f.namespace, "web"));
                }));
            }
            start.countDown();
            for (Future<Result> run : runs) {
                run.get();
            }
        }
        f.sync("web");

        List<ObjectNode> replicaSets = f.admin.list(ResourceType.REPLICA_SETS, f.namespace, "", "");
        assertThat(replicaSets).hasSize(1);
        assertThat(DeploymentFixture.replicas(replicaSets.get(0))).isEqualTo(4);
        assertThat(f.events("web").stream().filter(e -> e.startsWith("ScalingReplicaSet"))).hasSize(1);
    }
}
