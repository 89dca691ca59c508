package dev.kumo.node.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.NodeSystemInfo;
import dev.kumo.node.RuntimeConfig;
import dev.kumo.node.testing.NodeTestCluster;
import dev.kumo.node.testing.PodWaits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs and exec of pods whose node runs no containers: a simulated node serving no kubelet endpoint, and one that
 * serves it over the simulated runtime. Both answer 400 saying why, through the API; the second proves the API
 * server reaches the endpoint (pinned certificate, its token accepted). The second's stats summary, through
 * {@code nodes/proxy}, lists its pods without usage.
 */
class SimulatedStreamsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static NodeTestCluster cluster;
    private static NodeAgent silent;
    private static NodeAgent serving;

    @BeforeAll
    static void start() throws Exception {
        cluster = new NodeTestCluster();
        silent = agent("sim-silent", false);
        serving = agent("sim-serving", true);
        for (String node : new String[] {"sim-silent", "sim-serving"}) {
            cluster.admin().create(ResourceType.PODS, "default", object("""
                    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s"},
                     "spec": {"nodeName": "%s", "containers": [{"name": "c", "image": "busybox"}]}}"""
                    .formatted(node, node)));
            PodWaits.await(cluster.admin(), node, pod -> "Running".equals(pod.path("status").path("phase")
                    .asText()), Duration.ofSeconds(30));
        }
    }

    @AfterAll
    static void stop() {
        if (silent != null) {
            silent.close();
        }
        if (serving != null) {
            serving.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static NodeAgent agent(String name, boolean kubeletApi) throws InterruptedException {
        NodeConfig config = NodeConfig.of(name, "127.0.0.1", name.equals("sim-silent") ? "10.244.1.0/24"
                : "10.244.2.0/24", NodeCapacity.of("2", "4Gi", "20Gi"));
        RuntimeConfig runtime = new RuntimeConfig.Simulated();
        NodeAgent agent = new NodeAgent(cluster.endpoint(), cluster.bootstrapToken(), config,
                runtime.factory(config, Clock.systemUTC()), NodeSystemInfo.simulated(name, runtime.runtimeVersion()),
                Clock.systemUTC(), 4);
        if (kubeletApi) {
            agent.serveKubeletApi(new InetSocketAddress("127.0.0.1", 0), Path.of(System.getProperty("java.io.tmpdir")));
        }
        agent.start(Duration.ofSeconds(30));
        return agent;
    }

    @Test
    void aNodeServingNoEndpointIsNamedInTheAnswer() throws Exception {
        assertThat(message("/api/v1/namespaces/default/pods/sim-silent/log"))
                .startsWith("node \"sim-silent\" serves no kubelet endpoint (its port is 0)");
    }

    @Test
    void theSimulatedRuntimeSaysItRunsNoContainers() throws Exception {
        assertThat(message("/api/v1/namespaces/default/pods/sim-serving/log"))
                .isEqualTo("the simulated runtime runs no containers: no logs, exec or port-forward on node "
                        + "sim-serving");
    }

    @Test
    void theSummaryListsTheSimulatedPodsWithoutUsageAndTheMachinesUsage() throws Exception {
        HttpResponse<String> response = get("/api/v1/nodes/sim-serving/proxy/stats/summary");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode summary = MAPPER.readTree(response.body());
        JsonNode node = summary.path("node");
        assertThat(node.path("nodeName").asText()).isEqualTo("sim-serving");
        assertThat(node.path("cpu").path("usageCoreNanoSeconds").asLong()).isPositive();
        assertThat(node.path("memory").path("workingSetBytes").asLong()).isPositive();
        assertThat(node.path("fs").path("capacityBytes").asLong()).isPositive();
        JsonNode pod = summary.path("pods").get(0);
        assertThat(summary.path("pods").size()).isEqualTo(1);
        assertThat(pod.path("podRef").path("name").asText()).isEqualTo("sim-serving");
        assertThat(pod.path("podRef").path("uid").asText()).isEqualTo(cluster.admin()
                .get(ResourceType.PODS, "default", "sim-serving").orElseThrow().path("metadata").path("uid").asText());
        assertThat(pod.path("containers").get(0).path("name").asText()).isEqualTo("c");
        // nothing runs, so nothing is measured: no usage fields rather than invented ones
        assertThat(pod.has("cpu") || pod.has("memory") || pod.path("containers").get(0).has("cpu")).isFalse();

        JsonNode cpuAndMemory = MAPPER.readTree(get("/api/v1/nodes/sim-serving/proxy/stats/summary"
                + "?only_cpu_and_memory=true").body());
        assertThat(cpuAndMemory.path("node").has("fs")).isFalse();
        HttpResponse<String> healthz = get("/api/v1/nodes/sim-serving/proxy/healthz");
        assertThat(healthz.statusCode()).isEqualTo(200);
        assertThat(healthz.body()).isEqualTo("ok");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.server() + path))
                .header("Authorization", "Bearer " + cluster.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String message(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(cluster.server() + path)).header("Authorization", "Bearer " + cluster.adminToken())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return MAPPER.readTree(response.body()).path("message").asText();
    }
}
