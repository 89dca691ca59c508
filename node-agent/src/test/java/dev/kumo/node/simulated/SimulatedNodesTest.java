package dev.kumo.node.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.status.Conditions;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.network.Ipv4Cidr;
import dev.kumo.node.testing.NodeTestCluster;
import dev.kumo.node.testing.PodWaits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

/** Simulated nodes against the real API: joining, pods becoming Running and Ready, deletion, restart. */
class SimulatedNodesTest {
    private static final NodeTestCluster CLUSTER = new NodeTestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    private static SimulatedNodes start(String prefix, int count) throws InterruptedException {
        return SimulatedNodes.start(CLUSTER.endpoint(), CLUSTER.bootstrapToken(),
                SimulatedNodes.Options.of(count, prefix, NodeCapacity.of("4", "8Gi", "50Gi")), Clock.systemUTC());
    }

    @Test
    void nodesJoinWithTheKubeletsNodeAndLease() throws Exception {
        try (SimulatedNodes nodes = start("join-", 2)) {
            assertThat(nodes.names()).containsExactly("join-1", "join-2");
            ObjectNode node = ADMIN.get(ResourceType.NODES, "", "join-2").orElseThrow();
            assertThat(node.path("metadata").path("labels")).isEqualTo(object("""
                    {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                     "kubernetes.io/hostname": "join-2", "kubernetes.io/os": "linux"}""".replace("amd64",
                    dev.kumo.node.NodeConfig.hostArchitecture())));
            assertThat(node.path("spec").path("podCIDR").asText()).isEqualTo("10.244.1.0/24");
            assertThat(node.path("status").path("capacity")).isEqualTo(object("""
                    {"cpu": "4", "ephemeral-storage": "50Gi", "memory": "8Gi", "pods": "110"}"""));
            assertThat(node.path("status").path("addresses").get(0).path("address").asText()).isEqualTo("172.30.0.2");
            JsonNode ready = node.path("status").path("conditions").get(3);
            assertThat(ready.path("type").asText()).isEqualTo("Ready");
            assertThat(ready.path("status").asText()).isEqualTo("True");
            assertThat(ready.path("reason").asText()).isEqualTo("KubeletReady");
            assertThat(node.path("status").path("nodeInfo").path("containerRuntimeVersion").asText())
                    .isEqualTo("simulated://0.1.0");

            JsonNode lease = ADMIN.get(ResourceType.LEASES, "kube-node-lease", "join-2").orElseThrow();
            assertThat(lease.path("spec").path("holderIdentity").asText()).isEqualTo("join-2");
            assertThat(lease.path("spec").path("leaseDurationSeconds").asInt()).isEqualTo(40);
            assertThat(lease.path("spec").path("renewTime").asText()).matches("\\d{4}-.*T.*\\.\\d{6}Z");
            assertThat(lease.path("metadata").path("ownerReferences").get(0).path("uid").asText())
                    .isEqualTo(Meta.uid(node));
        }
    }

    @Test
    void anAgentRegistersWithItsPoolsLabelsAndTaints() throws Exception {
        // What a node pool's instance asks for (kubelet's --node-labels and --register-with-taints), under the node's
        // own credentials, so NodeRestriction has its say.
        dev.kumo.node.NodeConfig config = dev.kumo.node.NodeConfig.of("pooled-1", "172.31.0.1", "10.244.128.0/24",
                NodeCapacity.of("2", "4Gi", "50Gi")).withLabelsAndTaints(
                java.util.Map.of("kumo.dev/node-pool", "pooled", "tier", "web"),
                List.of(new dev.kumo.node.NodeConfig.Taint("dedicated", "web", "NoSchedule")));
        dev.kumo.node.NodeAgent agent = SimulatedNodes.agent(CLUSTER.endpoint(), CLUSTER.bootstrapToken(), config,
                Clock.systemUTC(), 2);
        try {
            agent.start(Duration.ofSeconds(60));
            ObjectNode node = ADMIN.get(ResourceType.NODES, "", "pooled-1").orElseThrow();
            assertThat(node.path("metadata").path("labels").path("kumo.dev/node-pool").asText()).isEqualTo("pooled");
            assertThat(node.path("metadata").path("labels").path("tier").asText()).isEqualTo("web");
            assertThat(node.path("spec").path("taints").toString())
                    .isEqualTo("[{\"key\":\"dedicated\",\"value\":\"web\",\"effect\":\"NoSchedule\"}]");
            assertThat(node.path("status").path("capacity").path("cpu").asText()).isEqualTo("2");
        } finally {
            agent.close();
        }
    }

    @Test
    void boundPodsRunAndGoWhileOtherNodesPodsAreNotTouched() throws Exception {
        try (SimulatedNodes nodes = start("run-", 2)) {
            ObjectNode elsewhere = createPod("elsewhere", "no-agent-node", "");
            createPod("on-run-2", "run-2", "");
            createPod("web", "run-1", """
                    "initContainers": [{"name": "setup", "image": "busybox"}],""");

            ObjectNode web = await("web", pod -> isReady(pod));
            JsonNode status = web.path("status");
            assertThat(status.path("phase").asText()).isEqualTo("Running");
            assertThat(Ipv4Cidr.parse("10.244.0.0/24").contains(Ipv4Cidr.parseAddress(status.path("podIP").asText())))
                    .isTrue();
            assertThat(status.path("podIPs").get(0).path("ip").asText()).isEqualTo(status.path("podIP").asText());
            assertThat(status.path("hostIP").asText()).isEqualTo("172.30.0.1");
            assertThat(status.hasNonNull("startTime")).isTrue();
            assertThat(conditionTypes(status)).containsExactly("PodReadyToStartContainers", "Initialized", "Ready",
                    "ContainersReady", "PodScheduled");
            status.path("conditions").forEach(c -> assertThat(c.path("status").asText()).isEqualTo("True"));
            JsonNode container = status.path("containerStatuses").get(0);
            assertThat(container.path("name").asText()).isEqualTo("c");
            assertThat(container.path("state").path("running").hasNonNull("startedAt")).isTrue();
            assertThat(container.path("ready").asBoolean()).isTrue();
            assertThat(container.path("started").asBoolean()).isTrue();
            assertThat(container.path("restartCount").asInt()).isZero();
            assertThat(container.path("image").asText()).isEqualTo("busybox");
            assertThat(container.path("imageID").asText()).startsWith("sha256:");
            assertThat(container.path("containerID").asText()).matches("simulated://[0-9a-f]{64}");
            JsonNode init = status.path("initContainerStatuses").get(0);
            assertThat(init.path("state").path("terminated").path("reason").asText()).isEqualTo("Completed");
            assertThat(init.path("ready").asBoolean()).isTrue();

            ObjectNode otherRunning = await("on-run-2", SimulatedNodesTest::isReady);
            assertThat(Ipv4Cidr.parse("10.244.1.0/24")
                    .contains(Ipv4Cidr.parseAddress(otherRunning.path("status").path("podIP").asText()))).isTrue();

            Thread.sleep(500);
            assertThat(Meta.resourceVersion(pod("web").orElseThrow())).as("status written once, not again")
                    .isEqualTo(Meta.resourceVersion(web));

            ObjectNode options = ADMIN.mapper().createObjectNode().put("gracePeriodSeconds", 30);
            ADMIN.delete(ResourceType.PODS, "default", "web", options);
            awaitGone("web");

            assertThat(Meta.resourceVersion(pod("on-run-2").orElseThrow()))
                    .as("the other node's pod is not touched").isEqualTo(Meta.resourceVersion(otherRunning));
            assertThat(Meta.resourceVersion(pod("elsewhere").orElseThrow()))
                    .as("a pod of a node without an agent stays as it was created")
                    .isEqualTo(Meta.resourceVersion(elsewhere));
        }
    }

    @Test
    void aRestartedNodeAdoptsItsRunningPods() throws Exception {
        ObjectNode running;
        String bootId;
        try (SimulatedNodes nodes = start("again-", 1)) {
            createPod("kept", "again-1", "");
            running = await("kept", SimulatedNodesTest::isReady);
            bootId = bootId("again-1");
        }
        try (SimulatedNodes nodes = start("again-", 1)) {
            assertThat(bootId("again-1")).as("the restarted node reported its new boot").isNotEqualTo(bootId);
            Thread.sleep(500);
            assertThat(Meta.resourceVersion(pod("kept").orElseThrow()))
                    .as("adopted as it runs: same IP, start and ids, so no status write").isEqualTo(
                            Meta.resourceVersion(running));
            ADMIN.delete(ResourceType.PODS, "default", "kept", ADMIN.mapper().createObjectNode());
            awaitGone("kept");
        }
    }

    private static String bootId(String node) {
        return ADMIN.get(ResourceType.NODES, "", node).orElseThrow().path("status").path("nodeInfo").path("bootID")
                .asText();
    }

    private static ObjectNode createPod(String name, String node, String extraSpec) {
        return ADMIN.create(ResourceType.PODS, "default", object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s"},
                 "spec": {%s "nodeName": "%s", "containers": [{"name": "c", "image": "busybox"}]}}"""
                .formatted(name, extraSpec, node)));
    }

    private static Optional<ObjectNode> pod(String name) {
        return ADMIN.get(ResourceType.PODS, "default", name);
    }

    private static boolean isReady(ObjectNode pod) {
        return Conditions.status(pod, "Ready").equals("True");
    }

    private static ObjectNode await(String name, Predicate<ObjectNode> condition) throws InterruptedException {
        return PodWaits.await(ADMIN, name, condition, Duration.ofSeconds(15));
    }

    private static void awaitGone(String name) throws InterruptedException {
        PodWaits.awaitGone(ADMIN, name, Duration.ofSeconds(15));
    }

    private static List<String> conditionTypes(JsonNode status) {
        List<String> types = new ArrayList<>();
        status.path("conditions").forEach(c -> types.add(c.path("type").asText()));
        return types;
    }
}
