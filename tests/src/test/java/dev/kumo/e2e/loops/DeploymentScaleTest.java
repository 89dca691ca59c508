package dev.kumo.e2e.loops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.PodView;
import dev.kumo.e2e.support.SharedNodeCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Deployment, ReplicaSet and scheduler loops with three simulated nodes, driven by the real kubectl: 20
 * replicas are bound over the three nodes and become Ready, the Deployment reports them available; {@code kubectl
 * scale} to 50 and back to 20 is followed by pods and status. Slow: some 40 s here for the 50 pods.
 */
@Tag("slow")
@ExtendWith(SharedNodeCluster.class)
class DeploymentScaleTest {
    private static final Duration LOOPS = Duration.ofSeconds(120);

    private final KumoCluster cluster;

    DeploymentScaleTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void replicasSpreadOverTheNodesAndFollowKubectlScale() {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("deployment-scale");
        kubectl.runWithInput(Workload.deployment(ns, "web", 20, "nginx:1.27", "", ""), "apply", "-f", "-").ok();

        List<PodView> pods = awaitServing(ns, 20);
        Map<String, Long> perNode = pods.stream().collect(Collectors.groupingBy(PodView::node, Collectors.counting()));
        assertThat(perNode.keySet()).as("pods per node: %s", perNode)
                .containsExactlyInAnyOrder("kumo-node-1", "kumo-node-2", "kumo-node-3");
        assertThat(kubectl.run("get", "deployment", "web", "-n", ns, "--no-headers").ok().out())
                .matches("web\\s+20/20\\s+20\\s+20\\s+.*\\n");

        assertThat(kubectl.run("scale", "deployment/web", "-n", ns, "--replicas=50").ok().out())
                .isEqualTo("deployment.apps/web scaled\n");
        perNode = awaitServing(ns, 50).stream()
                .collect(Collectors.groupingBy(PodView::node, Collectors.counting()));
        assertThat(perNode).as("pods per node").hasSize(3);

        kubectl.run("scale", "deployment/web", "-n", ns, "--replicas=20").ok();
        awaitServing(ns, 20);
        JsonNode status = cluster.api().get("/apis/apps/v1/namespaces/" + ns + "/deployments/web").expect(200)
                .json().path("status");
        assertThat(status.path("replicas").asInt()).isEqualTo(20);
        assertThat(status.path("availableReplicas").asInt()).isEqualTo(20);
        assertThat(status.path("updatedReplicas").asInt()).isEqualTo(20);
        assertThat(kubectl.run("get", "replicasets", "-n", ns, "-l", "app=web", "-o",
                "jsonpath={.items[*].status.readyReplicas}").ok().out().strip()).isEqualTo("20");
    }

    /**
     * Waits until exactly {@code replicas} pods of app=web exist, all bound, Running and Ready (none left being
     * deleted), and the Deployment's status says {@code replicas} available.
     */
    private List<PodView> awaitServing(String ns, int replicas) {
        List<PodView> pods = PodView.awaitServing(cluster.api(), ns, "app=web", replicas, LOOPS);
        Poll.until(LOOPS, "deployment available=" + replicas, () -> cluster.api()
                        .get("/apis/apps/v1/namespaces/" + ns + "/deployments/web").expect(200).json().path("status"),
                status -> status.path("availableReplicas").asInt() == replicas
                        && status.path("replicas").asInt() == replicas);
        return pods;
    }
}
