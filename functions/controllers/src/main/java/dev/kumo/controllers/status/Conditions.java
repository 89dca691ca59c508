package dev.kumo.controllers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Optional;

/**
 * The conditions of an object's status (nodes' and pods'): one found by type, and Kubernetes'
 * {@code UpdatePodCondition}, which sets one condition of a pod's status with its transition time (shared by the
 * scheduler's PodScheduled and DisruptionTarget and node lifecycle's Ready and DisruptionTarget).
 */
public final class Conditions {
    private Conditions() {
    }

    /**
     * The pod's conditions with {@code type} set to {@code status} (and the reason and message, when not null: null
     * keeps the present ones); empty when nothing would change. The transition time moves only when the status does.
     */
    public static Optional<ArrayNode> with(JsonNode pod, String type, String status, String reason, String message,
                                    Instant now) {
        ArrayNode conditions = pod.path("status").path("conditions").isArray()
                ? ((ArrayNode) pod.path("status").path("conditions")).deepCopy()
                : JsonNodeFactory.instance.arrayNode();
        for (JsonNode present : conditions) {
            if (!present.path("type").asText().equals(type)) {
                continue;
            }
            ObjectNode condition = (ObjectNode) present;
            ObjectNode before = condition.deepCopy();
            if (!condition.path("status").asText().equals(status)) {
                condition.put("lastTransitionTime", now.toString());
            }
            condition.put("status", status);
            if (reason != null) {
                condition.put("reason", reason);
            }
            if (message != null) {
                condition.put("message", message);
            }
            return condition.equals(before) ? Optional.empty() : Optional.of(conditions);
        }
        ObjectNode added = conditions.addObject().put("type", type).put("status", status).putNull("lastProbeTime")
                .put("lastTransitionTime", now.toString());
        if (reason != null) {
            added.put("reason", reason);
        }
        if (message != null) {
            added.put("message", message);
        }
        return Optional.of(conditions);
    }

    /** The condition {@code type} of the object's status, if it has one. */
    public static Optional<JsonNode> find(JsonNode object, String type) {
        for (JsonNode condition : object.path("status").path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return Optional.of(condition);
            }
        }
        return Optional.empty();
    }

    /** The status of condition {@code type}, or "" when the object has none. */
    public static String status(JsonNode object, String type) {
        return find(object, type).map(condition -> condition.path("status").asText("")).orElse("");
    }
}
