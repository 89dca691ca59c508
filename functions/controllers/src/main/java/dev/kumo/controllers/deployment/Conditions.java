package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.replicaset.Times;

import java.time.Instant;
import java.util.Optional;

/** A deployment's status conditions, with {@code deploymentutil}'s reasons and update rules. */
final class Conditions {
    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";
    static final String REPLICA_FAILURE = "ReplicaFailure";

    static final String REPLICA_SET_UPDATED = "ReplicaSetUpdated";
    static final String FAILED_RS_CREATE = "ReplicaSetCreateError";
    static final String NEW_REPLICA_SET = "NewReplicaSetCreated";
    static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    static final String PAUSED = "DeploymentPaused";
    static final String RESUMED = "DeploymentResumed";
    static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
    static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";

    private Conditions() {
    }

    /** {@code NewDeploymentCondition}: both times now. */
    static ObjectNode condition(String type, String status, String reason, String message, Instant now) {
        String time = Times.format(now);
        return JsonNodeFactory.instance.objectNode().put("type", type).put("status", status)
                .put("lastUpdateTime", time).put("lastTransitionTime", time).put("reason", reason)
                .put("message", message);
    }

    static Optional<ObjectNode> get(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText("").equals(type)) {
                return Optional.of((ObjectNode) condition);
            }
        }
        return Optional.empty();
    }

    static boolean hasReason(JsonNode status, String type, String reason) {
        return get(status, type).map(c -> c.path("reason").asText("").equals(reason)).orElse(false);
    }

    /**
     * {@code SetDeploymentCondition}: nothing if the current one has the same status and reason; otherwise it
     * replaces it, keeping its lastTransitionTime when only the reason changed.
     */
    static void set(ObjectNode status, ObjectNode condition) {
        Optional<ObjectNode> current = get(status, condition.path("type").asText());
        if (current.isPresent() && same(current.get(), condition, "status") && same(current.get(), condition, "reason")) {
            return;
        }
        if (current.isPresent() && same(current.get(), condition, "status")) {
            condition.set("lastTransitionTime", current.get().get("lastTransitionTime"));
        }
        remove(status, condition.path("type").asText());
        conditions(status).add(condition);
    }

    static void remove(ObjectNode status, String type) {
        ArrayNode kept = JsonNodeFactory.instance.arrayNode();
        for (JsonNode condition : status.path("conditions")) {
            if (!condition.path("type").asText("").equals(type)) {
                kept.add(condition);
            }
        }
        if (kept.isEmpty()) {
            status.remove("conditions");
        } else {
            status.set("conditions", kept);
        }
    }

    private static ArrayNode conditions(ObjectNode status) {
        JsonNode conditions = status.get("conditions");
        return conditions instanceof ArrayNode array ? array : status.putArray("conditions");
    }

    private static boolean same(JsonNode a, JsonNode b, String field) {
        return a.path(field).asText("").equals(b.path(field).asText(""));
    }
}
