package dev.kumo.node.simulated;

import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.testing.NodeTestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Real time: a running node renews its lease every 10 s, a stopped one goes silent (what the lifecycle sees). */
@Tag("slow")
class StoppedNodeTest {
    private static final NodeTestCluster CLUSTER = new NodeTestCluster();

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    private static Instant renewTime(String node) {
        return Instant.parse(CLUSTER.admin().get(ResourceType.LEASES, "kube-node-lease", node).orElseThrow()
                .path("spec").path("renewTime").asText());
    }

    @Test
    void aStoppedNodesLeaseIsNoLongerRenewedWhileARunningOnesIs() throws Exception {
        try (SimulatedNodes nodes = SimulatedNodes.start(CLUSTER.endpoint(), CLUSTER.bootstrapToken(),
                SimulatedNodes.Options.of(2, "beat-", NodeCapacity.of("1", "1Gi", "1Gi")), Clock.systemUTC())) {
            Instant alive = renewTime("beat-1");
            nodes.stop("beat-2");
            Instant silent = renewTime("beat-2");
            assertThat(nodes.node("beat-2").running()).isFalse();

            // 10 s with the kubelet's 4 % jitter, and room for a loaded machine.
            Instant until = silent.plus(Duration.ofSeconds(13));
            while (Instant.now().isBefore(until)) {
                Thread.sleep(200);
            }

            assertThat(renewTime("beat-1")).as("the running node renewed").isAfter(alive);
            assertThat(Duration.between(alive, renewTime("beat-1"))).isLessThan(Duration.ofSeconds(13));
            assertThat(renewTime("beat-2")).as("the stopped node did not").isEqualTo(silent);
        }
    }
}
