package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.selection.Labels;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A replica set's status from the pods it controls, as Kubernetes' {@code calculateStatus}: replicas (active
 * pods), fullyLabeledReplicas (those carrying all of the template's labels), readyReplicas, availableReplicas
 * (ready for minReadySeconds), and the ReplicaFailure condition while creating or deleting pods fails.
 */
final class ReplicaSetStatus {
    static final String REPLICA_FAILURE = "ReplicaFailure";

    private ReplicaSetStatus() {
    }

    /**
     * The new status; {@code manageError} is the message of a failed create or delete in this sync (null if none),
     * {@code diff} the pods it had too many (positive) or too few (negative).
     */
    static ObjectNode calculate(JsonNode replicaSet, List<ObjectNode> active, String manageError, int diff,
                                Instant now) {
        JsonNode old = replicaSet.path("status");
        long minReadySeconds = replicaSet.path("spec").path("minReadySeconds").asLong(0);
        Set<Map.Entry<String, String>> templateLabels = Labels.of(replicaSet.path("spec").path("template")).entrySet();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (ObjectNode pod : active) {
            if (Labels.of(pod).entrySet().containsAll(templateLabels)) {
                fullyLabeled++;
            }
            if (Pods.isReady(pod)) {
                ready++;
                if (Pods.isAvailable(pod, minReadySeconds, now)) {
                    available++;
                }
            }
        }
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.put("replicas", active.size()); // never omitted, unlike the counts below (omitempty)
        putIfNotZero(status, "fullyLabeledReplicas", fullyLabeled);
        putIfNotZero(status, "readyReplicas", ready);
        putIfNotZero(status, "availableReplicas", available);
        putIfNotZero(status, "observedGeneration", old.path("observedGeneration").asLong(0));
        ArrayNode conditions = JsonNodeFactory.instance.arrayNode();
        boolean hadFailure = false;
        for (JsonNode condition : old.path("conditions")) {
            if (condition.path("type").asText("").equals(REPLICA_FAILURE)) {
                hadFailure = true;
                if (manageError == null) {
                    continue; // the failure is over
                }
            }
            conditions.add(condition);
        }
        if (manageError != null && !hadFailure) {
            String reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
            conditions.addObject().put("type", REPLICA_FAILURE).put("status", "True")
                    .put("lastTransitionTime", Times.format(now)).put("reason", reason).put("message", manageError);
        }
        if (!conditions.isEmpty()) {
            status.set("conditions", conditions);
        }
        return status;
    }

    /** Whether writing {@code status} would change nothing ({@code updateReplicaSetStatus}'s early return). */
    static boolean unchanged(JsonNode replicaSet, ObjectNode status) {
        JsonNode old = replicaSet.path("status");
        long generation = replicaSet.path("metadata").path("generation").asLong(0);
        return old.path("replicas").asLong(0) == status.path("replicas").asLong(0)
                && old.path("fullyLabeledReplicas").asLong(0) == status.path("fullyLabeledReplicas").asLong(0)
                && old.path("readyReplicas").asLong(0) == status.path("readyReplicas").asLong(0)
                && old.path("availableReplicas").asLong(0) == status.path("availableReplicas").asLong(0)
                && old.path("observedGeneration").asLong(0) == generation
                && conditionsOf(old).equals(conditionsOf(status));
    }

    /**
     * When a ready pod becomes available: the soonest time left until one does, plus a second against clock skew
     * (as Kubernetes requeues), so that availableReplicas is counted again then; empty if none is waiting.
     */
    static Optional<Duration> nextAvailability(JsonNode replicaSet, List<ObjectNode> active, Instant now) {
        long minReadySeconds = replicaSet.path("spec").path("minReadySeconds").asLong(0);
        return active.stream()
                .map(pod -> Pods.untilAvailable(pod, minReadySeconds, now))
                .flatMap(Optional::stream)
                .min(Duration::compareTo)
                .map(left -> (left.isNegative() ? Duration.ZERO : left).plusSeconds(1));
    }

    private static JsonNode conditionsOf(JsonNode status) {
        JsonNode conditions = status.path("conditions");
        return conditions.isArray() ? conditions : JsonNodeFactory.instance.arrayNode();
    }

    private static void putIfNotZero(ObjectNode status, String field, long value) {
        if (value != 0) {
            status.put(field, value);
        }
    }
}
