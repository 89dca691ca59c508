package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.testing.NodeTestCluster;
import dev.kumo.node.testing.PodWaits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The summary API of a node agent with the cri runtime on a private containerd, read through the API server's
 * {@code nodes/{name}/proxy/stats/summary}: a busybox container spinning in a shell loop under a CPU limit of 200m
 * shows a CPU rate above zero and a working set, and its pod the sum of its containers.
 */
@Tag("containerd")
class StatsSummaryTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MEMORY_LIMIT = 32L * 1024 * 1024;
    private static NodeTestCluster cluster;
    private static CriTestNode node;
    private static NodeAgent agent;

    @BeforeAll
    static void start() throws Exception {
        node = CriTestNode.start();
        cluster = new NodeTestCluster();
        agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-stats", true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aBusyContainerShowsItsCpuRateAndWorkingSet() throws Exception {
        cluster.admin().create(ResourceType.PODS, "default", object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "burn"},
                 "spec": {"nodeName": "cri-stats", "terminationGracePeriodSeconds": 1, "containers": [
                  {"name": "burn", "image": "kumo.local/busybox:latest", "imagePullPolicy": "IfNotPresent",
                   "command": ["sh", "-c", "while :; do :; done"],
                   "resources": {"limits": {"cpu": "200m", "memory": "32Mi"}}}]}}"""));
        String uid = PodWaits.await(cluster.admin(), "burn", pod -> "Running".equals(pod.path("status")
                .path("phase").asText()), Duration.ofSeconds(90)).path("metadata").path("uid").asText();

        // containerd rates a container between two ListContainerStats calls; the agent rates the machine between
        // two samples of its sampler, 10 s apart
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode summary = summary();
        while ((pod(summary, uid).path("containers").path(0).path("cpu").path("usageNanoCores").asLong() == 0
                || !summary.path("node").path("cpu").has("usageNanoCores")) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            summary = summary();
        }
        JsonNode pod = pod(summary, uid);
        JsonNode container = pod.path("containers").get(0);
        System.out.println("cri stats summary of the busy pod: " + pod);

        assertThat(pod.path("podRef").path("name").asText()).isEqualTo("burn");
        assertThat(pod.path("podRef").path("namespace").asText()).isEqualTo("default");
        assertThat(pod.path("startTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(container.path("name").asText()).isEqualTo("burn");
        assertThat(container.path("cpu").path("usageNanoCores").asLong()).as(container.toString()).isPositive();
        assertThat(container.path("cpu").path("usageCoreNanoSeconds").asLong()).isPositive();
        JsonNode memory = container.path("memory");
        assertThat(memory.path("workingSetBytes").asLong()).isPositive()
                .isLessThanOrEqualTo(memory.path("usageBytes").asLong());
        assertThat(memory.path("availableBytes").asLong())
                .isEqualTo(MEMORY_LIMIT - memory.path("workingSetBytes").asLong());
        assertThat(memory.has("rssBytes") && memory.has("pageFaults")).as(memory.toString()).isTrue();
        // one container: the pod is its sum
        assertThat(pod.path("cpu").path("usageCoreNanoSeconds")).isEqualTo(container.path("cpu")
                .path("usageCoreNanoSeconds"));
        assertThat(pod.path("memory").path("workingSetBytes")).isEqualTo(memory.path("workingSetBytes"));

        JsonNode machine = summary.path("node");
        assertThat(machine.path("nodeName").asText()).isEqualTo("cri-stats");
        assertThat(machine.path("cpu").path("usageNanoCores").asLong()).as("the machine runs the pod").isPositive();
        assertThat(machine.path("memory").path("workingSetBytes").asLong()).isPositive();
        assertThat(machine.path("fs").path("usedBytes").asLong()).isPositive();
    }

    private static JsonNode pod(JsonNode summary, String uid) {
        for (JsonNode pod : summary.path("pods")) {
            if (pod.path("podRef").path("uid").asText().equals(uid)) {
                return pod;
            }
        }
        return MAPPER.createObjectNode();
    }

    private static JsonNode summary() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(cluster.server() + "/api/v1/nodes/cri-stats/proxy/stats/summary"))
                .header("Authorization", "Bearer " + cluster.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }
}
