package dev.kumo.node.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.ApiTime;
import dev.kumo.node.Conditions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's API status from what its runtime reports, as the kubelet makes it ({@code generateAPIPodStatus}, the
 * {@code status} package's condition generators and the status manager's rules): the phase by the kubelet's
 * {@code getPhase}; the conditions PodReadyToStartContainers, Initialized, Ready, ContainersReady and PodScheduled
 * after any condition the kubelet does not own; a condition's {@code lastTransitionTime} kept while its status
 * holds; {@code startTime} set once; container statuses sorted by name, init container statuses in spec order;
 * pod IPs from the sandbox (the node's for host-network pods), kept when the sandbox is gone. Fields the kubelet
 * does not write (qosClass, nominatedNodeName, resource claim statuses, ...) are carried over untouched.
 */
public final class PodStatusBuilder {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> KUBELET_CONDITIONS = Set.of("PodScheduled", "Ready", "Initialized",
            "ContainersReady", "PodReadyToStartContainers");
    private static final String PENDING = "Pending";
    private static final String RUNNING = "Running";
    private static final String SUCCEEDED = "Succeeded";
    private static final String FAILED = "Failed";

    private final String hostIp;

    public PodStatusBuilder(String hostIp) {
        this.hostIp = hostIp;
    }

    /**
     * The status to write for {@code pod} at {@code now}. {@code podIsTerminal}: the agent has stopped the pod for
     * good (it is being deleted), so containers that ended make the phase Succeeded or Failed whatever the restart
     * policy.
     */
    public ObjectNode build(ObjectNode pod, RuntimePod reported, boolean podIsTerminal, Instant now) {
        JsonNode spec = pod.path("spec");
        JsonNode old = pod.path("status");
        ObjectNode status = old instanceof ObjectNode existing ? existing.deepCopy() : MAPPER.createObjectNode();

        boolean hasInit = !spec.path("initContainers").isEmpty();
        // Containers the runtime has not reached are waiting, as the kubelet reports them before it creates them.
        String notCreated = hasInit ? "PodInitializing" : "ContainerCreating";
        RuntimePod runtime = new RuntimePod(reported.sandboxReady(), reported.ips(),
                complete(spec.path("initContainers"), reported.initContainers(), notCreated),
                complete(spec.path("containers"), reported.containers(), notCreated));
        List<ObjectNode> initStatuses = new ArrayList<>();
        runtime.initContainers().forEach(container -> initStatuses.add(containerStatus(container)));
        List<ObjectNode> statuses = new ArrayList<>();
        runtime.containers().forEach(container -> statuses.add(containerStatus(container)));
        statuses.sort(Comparator.comparing(s -> s.path("name").asText()));

        String phase = PodPhase.of(spec, runtime, podIsTerminal);
        String oldPhase = old.path("phase").asText("");
        if (!isTerminal(phase) && isTerminal(oldPhase)) {
            phase = oldPhase; // pods never leave a terminal phase
        }
        status.put("phase", phase);
        if (!phase.equals(oldPhase)) {
            status.remove("reason");
            status.remove("message");
        }

        ArrayNode conditions = MAPPER.createArrayNode();
        old.path("conditions").forEach(condition -> {
            if (!KUBELET_CONDITIONS.contains(condition.path("type").asText(""))) {
                conditions.add(condition);
            }
        });
        PodConditions generated = new PodConditions(spec, runtime, phase);
        conditions.add(condition(old, now, "PodReadyToStartContainers", runtime.sandboxReady() ? "True" : "False",
                "", ""));
        addCondition(conditions, old, now, "Initialized", generated.initialized());
        PodConditions.Condition containersReady = generated.containersReady();
        addCondition(conditions, old, now, "Ready", generated.ready(containersReady, conditions));
        addCondition(conditions, old, now, "ContainersReady", containersReady);
        conditions.add(condition(old, now, "PodScheduled", "True", "", ""));
        status.set("conditions", conditions);

        status.put("hostIP", hostIp);
        status.putArray("hostIPs").addObject().put("ip", hostIp);
        List<String> ips = runtime.ips();
        if (ips.isEmpty() && spec.path("hostNetwork").asBoolean(false)) {
            ips = List.of(hostIp);
        }
        if (!ips.isEmpty()) {
            status.put("podIP", ips.get(0));
            ArrayNode podIps = status.putArray("podIPs");
            ips.forEach(ip -> podIps.addObject().put("ip", ip));
        }
        if (!status.hasNonNull("startTime")) {
            status.put("startTime", ApiTime.time(now));
        }
        if (hasInit) {
            status.set("initContainerStatuses", MAPPER.valueToTree(initStatuses));
        } else {
            status.remove("initContainerStatuses");
        }
        status.set("containerStatuses", MAPPER.valueToTree(statuses));
        return status;
    }

    static boolean isTerminal(String phase) {
        return SUCCEEDED.equals(phase) || FAILED.equals(phase);
    }

    /** One container per container of the spec, in spec order: the runtime's, or waiting for {@code reason}. */
    private static List<RuntimeContainer> complete(JsonNode specContainers, List<RuntimeContainer> reported,
                                                   String reason) {
        Map<String, RuntimeContainer> byName = new LinkedHashMap<>();
        reported.forEach(container -> byName.put(container.name(), container));
        List<RuntimeContainer> containers = new ArrayList<>();
        for (JsonNode container : specContainers) {
            String name = container.path("name").asText();
            containers.add(byName.getOrDefault(name,
                    RuntimeContainer.waiting(name, container.path("image").asText(""), reason, "", 0)));
        }
        return containers;
    }

    private static ObjectNode containerStatus(RuntimeContainer container) {
        ObjectNode status = MAPPER.createObjectNode();
        status.put("name", container.name());
        ObjectNode state = status.putObject("state");
        switch (container.state()) {
            case WAITING -> {
                ObjectNode waiting = state.putObject("waiting").put("reason", container.reason());
                if (!container.message().isEmpty()) {
                    waiting.put("message", container.message());
                }
            }
            case RUNNING -> state.putObject("running").put("startedAt", ApiTime.time(container.startedAt()));
            case TERMINATED -> terminated(state, container);
        }
        ObjectNode lastState = status.putObject("lastState");
        if (container.lastTermination() != null) {
            terminated(lastState, container.lastTermination());
        }
        status.put("ready", container.ready());
        status.put("restartCount", container.restartCount());
        status.put("image", container.image());
        status.put("imageID", container.imageId());
        if (!container.containerId().isEmpty()) {
            status.put("containerID", container.containerId());
        }
        status.put("started", container.started());
        return status;
    }

    private static void terminated(ObjectNode state, RuntimeContainer container) {
        ObjectNode terminated = state.putObject("terminated").put("exitCode", container.exitCode())
                .put("reason", container.reason());
        if (!container.message().isEmpty()) {
            terminated.put("message", container.message());
        }
        terminated.put("startedAt", ApiTime.time(container.startedAt()))
                .put("finishedAt", ApiTime.time(container.finishedAt()))
                .put("containerID", container.containerId());
    }

    private static void addCondition(ArrayNode conditions, JsonNode old, Instant now, String type,
                                     PodConditions.Condition generated) {
        conditions.add(condition(old, now, type, generated.status(), generated.reason(), generated.message()));
    }

    private static ObjectNode condition(JsonNode oldStatus, Instant now, String type, String status, String reason,
                                        String message) {
        ObjectNode condition = MAPPER.createObjectNode().put("type", type).put("status", status)
                .put("lastTransitionTime", Conditions.lastTransitionTime(oldStatus.path("conditions"), type, status,
                        now));
        if (!reason.isEmpty()) {
            condition.put("reason", reason);
        }
        if (!message.isEmpty()) {
            condition.put("message", message);
        }
        return condition;
    }
}
