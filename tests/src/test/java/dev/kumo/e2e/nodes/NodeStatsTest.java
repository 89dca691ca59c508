package dev.kumo.e2e.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.local.NodeRuntimeChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kubelet summary API through the API server with the real kubectl, as users and metrics-server reach it
 * ({@code kubectl get --raw /api/v1/nodes/<n>/proxy/stats/summary}), on a local cluster's {@code process} node: a
 * pod spinning in a shell loop shows a CPU rate and a working set; a user without {@code get nodes/proxy} is refused;
 * discovery lists {@code nodes/proxy}.
 */
class NodeStatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUMMARY = "/api/v1/nodes/kumo-node-1/proxy/stats/summary";
    private static KumoCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = KumoCluster.start(1, NodeRuntimeChoice.PROCESS);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBusyPodsUsageThroughKubectlGetRaw() throws Exception {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("stats");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: busy, namespace: %s}
                spec:
                  containers: [{name: spin, image: ignored, command: ["sh", "-c", "while :; do :; done"]}]
                """.formatted(ns), "apply", "-f", "-").ok();
        String uid = JSON.readTree(kubectl.run("get", "pod", "busy", "-n", ns, "-o", "json").ok().out())
                .path("metadata").path("uid").asText();

        // the agent rates CPU between two samples of its sampler, 10 s apart
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode pod = pod(kubectl, uid);
        while (pod.path("containers").path(0).path("cpu").path("usageNanoCores").asLong() == 0) {
            assertThat(System.nanoTime()).as("waiting for a CPU rate of the busy pod; last seen %s", pod)
                    .isLessThan(deadline);
            Thread.sleep(1000);
            pod = pod(kubectl, uid);
        }
        System.out.println("process node stats summary of the busy pod: " + pod);
        JsonNode container = pod.path("containers").get(0);
        assertThat(pod.path("podRef").path("name").asText()).isEqualTo("busy");
        assertThat(pod.path("podRef").path("namespace").asText()).isEqualTo(ns);
        assertThat(container.path("name").asText()).isEqualTo("spin");
        assertThat(container.path("cpu").path("usageCoreNanoSeconds").asLong()).isPositive();
        assertThat(container.path("memory").path("workingSetBytes").asLong()).isPositive();
        assertThat(pod.path("cpu").path("usageNanoCores")).isEqualTo(container.path("cpu").path("usageNanoCores"));

        JsonNode summary = JSON.readTree(cluster.kubectl("1.28").run("get", "--raw", SUMMARY).ok().out());
        assertThat(summary.path("node").path("nodeName").asText()).isEqualTo("kumo-node-1");
        assertThat(summary.path("node").path("memory").path("workingSetBytes").asLong()).isPositive();
        assertThat(summary.path("node").path("fs").path("capacityBytes").asLong()).isPositive();
        assertThat(kubectl.run("get", "--raw", "/api/v1/nodes/kumo-node-1/proxy/healthz").ok().out().strip())
                .isEqualTo("ok");
    }

    @Test
    void aPlainUserIsForbiddenAndAnUnknownNodeIsNotFound() {
        Kubectl kubectl = cluster.kubectl("1.32");
        Kubectl.Result forbidden = kubectl.run("get", "--raw", SUMMARY, "--as=jane").failed();
        assertThat(forbidden.err()).contains("Forbidden").contains("cannot get resource \"nodes/proxy\"");
        Kubectl.Result unknown = kubectl.run("get", "--raw", "/api/v1/nodes/nope/proxy/stats/summary").failed();
        assertThat(unknown.err()).contains("NotFound");
    }

    @Test
    void discoveryListsNodesProxy() throws Exception {
        JsonNode resources = JSON.readTree(cluster.kubectl("1.32").run("get", "--raw", "/api/v1").ok().out())
                .path("resources");
        boolean listed = false;
        for (JsonNode resource : resources) {
            listed |= resource.path("name").asText().equals("nodes/proxy");
        }
        assertThat(listed).as(resources.toString()).isTrue();
    }

    private static JsonNode pod(Kubectl kubectl, String uid) throws Exception {
        for (JsonNode pod : JSON.readTree(kubectl.run("get", "--raw", SUMMARY).ok().out()).path("pods")) {
            if (pod.path("podRef").path("uid").asText().equals(uid)) {
                return pod;
            }
        }
        return JSON.createObjectNode();
    }
}
