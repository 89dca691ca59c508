package dev.kumo.node.heartbeat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.ApiTime;
import dev.kumo.node.Conditions;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.NodeSystemInfo;
import dev.kumo.node.pods.RuntimeHealth;

import java.time.Instant;

/**
 * A Node's {@code status} as the kubelet's status setters write it: capacity and allocatable, the conditions
 * MemoryPressure, DiskPressure, PIDPressure and Ready (in that order, with the kubelet's reasons and messages),
 * addresses, the kubelet endpoint and the node info. A condition's {@code lastTransitionTime} moves only when its
 * status changes; {@code lastHeartbeatTime} is the time of this report.
 */
public final class NodeStatusBuilder {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The conditions the kubelet sets; others on a Node belong to controllers. */
    static final java.util.Set<String> KUBELET_CONDITIONS = java.util.Set.of("MemoryPressure", "DiskPressure",
            "PIDPressure", "Ready");

    private final NodeConfig config;
    private final NodeSystemInfo info;
    private final int kubeletPort;

    /** A node that serves no kubelet endpoint (port 0 says so rather than inviting connections). */
    public NodeStatusBuilder(NodeConfig config, NodeSystemInfo info) {
        this(config, info, 0);
    }

    /** @param kubeletPort where the agent's kubelet endpoint listens ({@code daemonEndpoints.kubeletEndpoint}) */
    public NodeStatusBuilder(NodeConfig config, NodeSystemInfo info, int kubeletPort) {
        this.config = config;
        this.info = info;
        this.kubeletPort = kubeletPort;
    }

    /** The status at {@code now}, given the one last reported ({@code previous}, null or empty at first). */
    public ObjectNode build(RuntimeHealth runtime, Instant now, JsonNode previous) {
        ObjectNode status = MAPPER.createObjectNode();
        config.capacity().writeTo(status.putObject("capacity"));
        config.allocatable().writeTo(status.putObject("allocatable"));
        ArrayNode conditions = status.putArray("conditions");
        JsonNode before = previous == null ? MAPPER.createObjectNode() : previous;
        // The simulated runtime has no host whose memory, disk or PIDs could run short.
        conditions.add(condition(before, now, "MemoryPressure", "False", "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available"));
        conditions.add(condition(before, now, "DiskPressure", "False", "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure"));
        conditions.add(condition(before, now, "PIDPressure", "False", "KubeletHasSufficientPID",
                "kubelet has sufficient PID available"));
        conditions.add(runtime.ready()
                ? condition(before, now, "Ready", "True", "KubeletReady", "kubelet is posting ready status")
                : condition(before, now, "Ready", "False", "KubeletNotReady", runtime.message()));
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", config.address());
        addresses.addObject().put("type", "Hostname").put("address", config.name());
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", kubeletPort);
        status.putObject("nodeInfo")
                .put("machineID", info.machineId())
                .put("systemUUID", info.systemUuid())
                .put("bootID", info.bootId())
                .put("kernelVersion", info.kernelVersion())
                .put("osImage", info.osImage())
                .put("containerRuntimeVersion", info.containerRuntimeVersion())
                .put("kubeletVersion", NodeSystemInfo.KUBELET_VERSION)
                .put("operatingSystem", config.operatingSystem())
                .put("architecture", config.architecture());
        return status;
    }

    /**
     * Whether two statuses differ in more than their heartbeat times (the kubelet's nodeStatusHasChanged), in what
     * the kubelet writes: conditions other controllers own (the route controller's NetworkUnavailable) are theirs.
     */
    public static boolean changed(JsonNode previous, JsonNode next) {
        return previous == null || !withoutHeartbeats(previous).equals(withoutHeartbeats(next));
    }

    private static JsonNode withoutHeartbeats(JsonNode status) {
        JsonNode copy = status.deepCopy();
        if (copy.path("conditions") instanceof ArrayNode conditions) {
            for (int i = conditions.size() - 1; i >= 0; i--) {
                if (!KUBELET_CONDITIONS.contains(conditions.get(i).path("type").asText())) {
                    conditions.remove(i);
                } else if (conditions.get(i) instanceof ObjectNode object) {
                    object.remove("lastHeartbeatTime");
                }
            }
        }
        return copy;
    }

    private static ObjectNode condition(JsonNode previousStatus, Instant now, String type, String status,
                                        String reason, String message) {
        ObjectNode condition = MAPPER.createObjectNode();
        condition.put("type", type).put("status", status).put("lastHeartbeatTime", ApiTime.time(now))
                .put("lastTransitionTime", Conditions.lastTransitionTime(previousStatus.path("conditions"), type,
                        status, now))
                .put("reason", reason).put("message", message);
        return condition;
    }
}
