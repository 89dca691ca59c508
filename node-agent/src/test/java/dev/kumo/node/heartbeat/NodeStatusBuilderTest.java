package dev.kumo.node.heartbeat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.NodeSystemInfo;
import dev.kumo.node.pods.RuntimeHealth;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

class NodeStatusBuilderTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final NodeConfig CONFIG = NodeConfig.of("n1", "172.30.0.1", "10.244.0.0/24",
            NodeCapacity.of("4", "16Gi", "100Gi"));
    private static final NodeStatusBuilder BUILDER = new NodeStatusBuilder(CONFIG,
            new NodeSystemInfo("m", "s", "b", "6.1.0", "kumo simulated node", "simulated://0.1.0"));

    @Test
    void theKubeletsConditionsCapacityAddressesAndInfo() {
        ObjectNode status = BUILDER.build(RuntimeHealth.READY, T0, null);

        assertThat(status.path("capacity")).isEqualTo(object("""
                {"cpu": "4", "ephemeral-storage": "100Gi", "memory": "16Gi", "pods": "110"}"""));
        assertThat(status.path("allocatable")).isEqualTo(status.path("capacity"));
        assertThat(status.path("conditions")).isEqualTo(object("""
                {"c": [
                  {"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": "2025-03-01T10:00:00Z",
                   "lastTransitionTime": "2025-03-01T10:00:00Z", "reason": "KubeletHasSufficientMemory",
                   "message": "kubelet has sufficient memory available"},
                  {"type": "DiskPressure", "status": "False", "lastHeartbeatTime": "2025-03-01T10:00:00Z",
                   "lastTransitionTime": "2025-03-01T10:00:00Z", "reason": "KubeletHasNoDiskPressure",
                   "message": "kubelet has no disk pressure"},
                  {"type": "PIDPressure", "status": "False", "lastHeartbeatTime": "2025-03-01T10:00:00Z",
                   "lastTransitionTime": "2025-03-01T10:00:00Z", "reason": "KubeletHasSufficientPID",
                   "message": "kubelet has sufficient PID available"},
                  {"type": "Ready", "status": "True", "lastHeartbeatTime": "2025-03-01T10:00:00Z",
                   "lastTransitionTime": "2025-03-01T10:00:00Z", "reason": "KubeletReady",
                   "message": "kubelet is posting ready status"}]}""").get("c"));
        assertThat(status.path("addresses")).isEqualTo(object("""
                {"a": [{"type": "InternalIP", "address": "172.30.0.1"}, {"type": "Hostname", "address": "n1"}]}""")
                .get("a"));
        assertThat(status.path("nodeInfo").path("kubeletVersion").asText()).isEqualTo("v1.32.0-kumo");
        assertThat(status.path("nodeInfo").path("containerRuntimeVersion").asText()).isEqualTo("simulated://0.1.0");
        assertThat(status.path("nodeInfo").path("operatingSystem").asText()).isEqualTo("linux");
    }

    @Test
    void heartbeatsMoveTransitionsStayAndOnlyRealChangesCount() {
        ObjectNode first = BUILDER.build(RuntimeHealth.READY, T0, null);
        ObjectNode later = BUILDER.build(RuntimeHealth.READY, T0.plusSeconds(70), first);

        assertThat(ready(later).path("lastHeartbeatTime").asText()).isEqualTo("2025-03-01T10:01:10Z");
        assertThat(ready(later).path("lastTransitionTime").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(NodeStatusBuilder.changed(first, later)).isFalse();

        ObjectNode down = BUILDER.build(RuntimeHealth.notReady("container runtime is down"), T0.plusSeconds(80),
                later);
        assertThat(ready(down)).isEqualTo(object("""
                {"type": "Ready", "status": "False", "lastHeartbeatTime": "2025-03-01T10:01:20Z",
                 "lastTransitionTime": "2025-03-01T10:01:20Z", "reason": "KubeletNotReady",
                 "message": "container runtime is down"}"""));
        assertThat(NodeStatusBuilder.changed(later, down)).isTrue();
    }

    private static JsonNode ready(JsonNode status) {
        return status.path("conditions").get(3);
    }
}
