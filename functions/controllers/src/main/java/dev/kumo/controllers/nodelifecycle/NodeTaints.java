package dev.kumo.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.status.Conditions;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The taints the node lifecycle controller owns, from the node's conditions (kube's {@code doNoScheduleTaintingPass}
 * and the NoExecute tainting of {@code doNoExecuteTaintingPass}): NoSchedule for Ready=False (not-ready),
 * Ready=Unknown (unreachable), the pressure conditions, NetworkUnavailable and {@code spec.unschedulable}; NoExecute
 * for not-ready and unreachable, which exclude each other as the Ready condition's values do. Other taints are kept
 * as they are, except that a NoExecute taint without {@code timeAdded} gets one: eviction times count from it (see
 * {@link TaintEviction}).
 */
final class NodeTaints {
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    static final String NO_SCHEDULE = "NoSchedule";
    static final String NO_EXECUTE = "NoExecute";

    /** kube's {@code nodeConditionToTaintKeyStatusMap}. */
    private static final Map<String, Map<String, String>> CONDITION_TAINTS = Map.of(
            "Ready", Map.of("False", NOT_READY, "Unknown", UNREACHABLE),
            "MemoryPressure", Map.of("True", "node.kubernetes.io/memory-pressure"),
            "DiskPressure", Map.of("True", "node.kubernetes.io/disk-pressure"),
            "NetworkUnavailable", Map.of("True", "node.kubernetes.io/network-unavailable"),
            "PIDPressure", Map.of("True", "node.kubernetes.io/pid-pressure"));

    private NodeTaints() {
    }

    /**
     * The node's taints made to match its conditions, or empty when they already do. {@code evictions} false (every
     * node is unhealthy: kube's full disruption) means no NoExecute taint of the controller's.
     */
    static Optional<ArrayNode> reconcile(JsonNode node, boolean evictions, Instant now) {
        Set<String> desired = desired(node, evictions);
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ArrayNode taints = JsonNodeFactory.instance.arrayNode();
        boolean changed = false;
        Set<String> present = new LinkedHashSet<>();
        for (JsonNode taint : node.path("spec").path("taints")) {
            String id = taint.path("key").asText("") + ":" + taint.path("effect").asText("");
            if (managed(taint.path("key").asText(""), taint.path("effect").asText("")) && !desired.contains(id)) {
                changed = true;
                continue;
            }
            present.add(id);
            ObjectNode kept = ((ObjectNode) taint).deepCopy();
            if (NO_EXECUTE.equals(kept.path("effect").asText()) && !kept.path("timeAdded").isTextual()) {
                kept.put("timeAdded", time);
                changed = true;
            }
            taints.add(kept);
        }
        for (String id : desired) {
            if (!present.contains(id)) {
                int colon = id.lastIndexOf(':');
                taints.addObject().put("key", id.substring(0, colon)).put("effect", id.substring(colon + 1))
                        .put("timeAdded", time);
                changed = true;
            }
        }
        return changed ? Optional.of(taints) : Optional.empty();
    }

    /** The controller's taints the node should carry, as {@code key:effect}. */
    static Set<String> desired(JsonNode node, boolean evictions) {
        Set<String> desired = new LinkedHashSet<>();
        for (JsonNode condition : node.path("status").path("conditions")) {
            Map<String, String> byStatus = CONDITION_TAINTS.get(condition.path("type").asText());
            String key = byStatus == null ? null : byStatus.get(condition.path("status").asText());
            if (key != null) {
                desired.add(key + ":" + NO_SCHEDULE);
            }
        }
        if (node.path("spec").path("unschedulable").asBoolean(false)) {
            desired.add(UNSCHEDULABLE + ":" + NO_SCHEDULE);
        }
        String ready = Conditions.status(node, "Ready");
        if (evictions && ready.equals("False")) {
            desired.add(NOT_READY + ":" + NO_EXECUTE);
        } else if (evictions && ready.equals("Unknown")) {
            desired.add(UNREACHABLE + ":" + NO_EXECUTE);
        }
        return desired;
    }

    private static boolean managed(String key, String effect) {
        if (NO_EXECUTE.equals(effect)) {
            return key.equals(NOT_READY) || key.equals(UNREACHABLE);
        }
        return NO_SCHEDULE.equals(effect) && (key.equals(UNSCHEDULABLE) || CONDITION_TAINTS.values().stream()
                .anyMatch(byStatus -> byStatus.containsValue(key)));
    }
}
