package dev.kumo.controllers.nodelifecycle;

import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.status.Conditions;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** kube's full disruption: when no node is Ready, nothing is tainted NoExecute and no pod is evicted. */
class NodeLifecycleDisruptionTest {

    @Test
    void whenEveryNodeIsSilentNoneIsTaintedNoExecute() throws Exception {
        try (TestCluster cluster = new TestCluster()) {
            NodeFixtures fixtures = new NodeFixtures(cluster.admin());
            Instant start = Instant.now();
            fixtures.namespace("apps");
            fixtures.node("only", "True", start.minusSeconds(120), "");
            fixtures.pod("apps", "web", "only", "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":"
                    + "\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":0}]");
            ControlLoop loop = NodeLifecycle.loop(cluster.controllerContext(NodeLifecycle.COMPONENT,
                    new MutableClock(start)));

            loop.reconciler().reconcile(ObjectKey.cluster("nodes", "only"));

            var node = cluster.admin().get(ResourceType.NODES, "", "only").orElseThrow();
            assertThat(Conditions.status(node, "Ready")).isEqualTo("Unknown");
            assertThat(node.path("spec").path("taints").toString()).contains("unreachable")
                    .doesNotContain("NoExecute");
            assertThat(Meta.isBeingDeleted(cluster.admin().get(ResourceType.PODS, "apps", "web").orElseThrow()))
                    .isFalse();
        }
    }
}
