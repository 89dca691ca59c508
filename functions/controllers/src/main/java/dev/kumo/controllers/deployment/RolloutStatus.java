package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.replicaset.Times;
import dev.kumo.controllers.runtime.Result;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A deployment's status from its replica sets ({@code calculateStatus}) and the Progressing condition's rules
 * ({@code syncRolloutStatus}): complete, progressing (updated with each sign of progress), or past its deadline;
 * and when to look again for the deadline ({@code requeueStuckDeployment}). Pure: no API calls.
 */
final class RolloutStatus {
    private RolloutStatus() {
    }

    /**
     * {@code calculateStatus}: counts summed over the replica sets (updatedReplicas from the new one), the
     * conditions carried over, and Available set by whether available pods reach replicas minus maxUnavailable.
     * Zero counts are left out, as Kubernetes' JSON omits them.
     */
    static ObjectNode calculate(JsonNode deployment, List<ObjectNode> all, ObjectNode newRS, Instant now) {
        List<ObjectNode> present = new ArrayList<>(all);
        present.removeIf(java.util.Objects::isNull);
        int available = ReplicaSets.sum(present, ReplicaSets::availableReplicas);
        int unavailable = Math.max(0, ReplicaSets.specReplicas(present) - available);
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        putIfNotZero(status, "observedGeneration", Deployments.generation(deployment));
        putIfNotZero(status, "replicas", ReplicaSets.sum(present, ReplicaSets::statusReplicas));
        putIfNotZero(status, "updatedReplicas", newRS == null ? 0 : ReplicaSets.statusReplicas(newRS));
        putIfNotZero(status, "readyReplicas", ReplicaSets.sum(present, ReplicaSets::readyReplicas));
        putIfNotZero(status, "availableReplicas", available);
        putIfNotZero(status, "unavailableReplicas", unavailable);
        JsonNode old = deployment.path("status");
        if (old.path("conditions").isArray() && !old.path("conditions").isEmpty()) {
            status.set("conditions", old.path("conditions").deepCopy());
        }
        if (old.has("collisionCount")) {
            status.set("collisionCount", old.get("collisionCount"));
        }
        if (available >= Deployments.replicas(deployment) - Deployments.maxUnavailable(deployment)) {
            Conditions.set(status, Conditions.condition(Conditions.AVAILABLE, "True",
                    Conditions.MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.", now));
        } else {
            Conditions.set(status, Conditions.condition(Conditions.AVAILABLE, "False",
                    Conditions.MINIMUM_REPLICAS_UNAVAILABLE, "Deployment does not have minimum availability.", now));
        }
        return status;
    }

    /** {@code syncRolloutStatus}'s new status: {@link #calculate} plus the progress estimate and replica failures. */
    static ObjectNode rollout(JsonNode deployment, List<ObjectNode> all, ObjectNode newRS, Instant now) {
        ObjectNode status = calculate(deployment, all, newRS, now);
        if (!Deployments.hasProgressDeadline(deployment)) {
            Conditions.remove(status, Conditions.PROGRESSING);
        }
        Optional<ObjectNode> current = Conditions.get(deployment.path("status"), Conditions.PROGRESSING);
        boolean complete = status.path("replicas").asInt() == status.path("updatedReplicas").asInt()
                && current.isPresent()
                && current.get().path("reason").asText("").equals(Conditions.NEW_RS_AVAILABLE);
        if (Deployments.hasProgressDeadline(deployment) && !complete) {
            String subject = newRS == null ? "Deployment \"" + name(deployment) + "\""
                    : "ReplicaSet \"" + name(newRS) + "\"";
            if (isComplete(deployment, status)) {
                Conditions.set(status, Conditions.condition(Conditions.PROGRESSING, "True",
                        Conditions.NEW_RS_AVAILABLE, subject + " has successfully progressed.", now));
            } else if (isProgressing(deployment, status)) {
                ObjectNode condition = Conditions.condition(Conditions.PROGRESSING, "True",
                        Conditions.REPLICA_SET_UPDATED, subject + " is progressing.", now);
                // Progress moves lastUpdateTime even when the reason stays the same, which Set would not do.
                if (current.isPresent()) {
                    if (current.get().path("status").asText("").equals("True")) {
                        condition.set("lastTransitionTime", current.get().get("lastTransitionTime"));
                    }
                    Conditions.remove(status, Conditions.PROGRESSING);
                }
                Conditions.set(status, condition);
            } else if (timedOut(deployment, status, now)) {
                Conditions.set(status, Conditions.condition(Conditions.PROGRESSING, "False",
                        Conditions.TIMED_OUT, subject + " has timed out progressing.", now));
            }
        }
        Optional<ObjectNode> failure = replicaFailure(all, newRS);
        if (failure.isPresent()) {
            Conditions.set(status, failure.get());
        } else {
            Conditions.remove(status, Conditions.REPLICA_FAILURE);
        }
        return status;
    }

    /** {@code DeploymentComplete}: every replica updated and available, and the latest spec observed. */
    static boolean isComplete(JsonNode deployment, JsonNode status) {
        int replicas = Deployments.replicas(deployment);
        return status.path("updatedReplicas").asInt(0) == replicas
                && status.path("replicas").asInt(0) == replicas
                && status.path("availableReplicas").asInt(0) == replicas
                && status.path("observedGeneration").asLong(0) >= Deployments.generation(deployment);
    }

    /** {@code DeploymentProgressing}: more updated, fewer old, more ready or more available pods than before. */
    static boolean isProgressing(JsonNode deployment, JsonNode status) {
        JsonNode old = deployment.path("status");
        int oldOld = old.path("replicas").asInt(0) - old.path("updatedReplicas").asInt(0);
        int newOld = status.path("replicas").asInt(0) - status.path("updatedReplicas").asInt(0);
        return status.path("updatedReplicas").asInt(0) > old.path("updatedReplicas").asInt(0)
                || newOld < oldOld
                || status.path("readyReplicas").asInt(0) > old.path("readyReplicas").asInt(0)
                || status.path("availableReplicas").asInt(0) > old.path("availableReplicas").asInt(0);
    }

    /** {@code DeploymentTimedOut}: no progress noted for longer than the deadline. */
    static boolean timedOut(JsonNode deployment, JsonNode status, Instant now) {
        if (!Deployments.hasProgressDeadline(deployment)) {
            return false;
        }
        Optional<ObjectNode> condition = Conditions.get(status, Conditions.PROGRESSING);
        if (condition.isEmpty()) {
            return false;
        }
        String reason = condition.get().path("reason").asText("");
        if (reason.equals(Conditions.NEW_RS_AVAILABLE)) {
            return false;
        }
        if (reason.equals(Conditions.TIMED_OUT)) {
            return true;
        }
        return Times.parse(condition.get().path("lastUpdateTime"))
                .map(from -> from.plusSeconds(Deployments.progressDeadlineSeconds(deployment)).isBefore(now))
                .orElse(false);
    }

    /**
     * {@code requeueStuckDeployment}: a rollout that has not finished nor timed out is looked at again when its
     * deadline passes (plus a second against clock skew), or in a second if that is sooner.
     */
    static Result recheckDeadline(JsonNode deployment, JsonNode status, Instant now) {
        Optional<ObjectNode> current = Conditions.get(deployment.path("status"), Conditions.PROGRESSING);
        if (!Deployments.hasProgressDeadline(deployment) || current.isEmpty()) {
            return Result.DONE;
        }
        if (isComplete(deployment, status)
                || current.get().path("reason").asText("").equals(Conditions.TIMED_OUT)) {
            return Result.DONE;
        }
        Optional<Instant> lastUpdate = Times.parse(current.get().path("lastUpdateTime"));
        if (lastUpdate.isEmpty()) {
            return Result.DONE;
        }
        Duration after = Duration.between(now,
                lastUpdate.get().plusSeconds(Deployments.progressDeadlineSeconds(deployment)));
        if (after.compareTo(Duration.ofSeconds(1)) < 0) {
            return Result.requeueAfter(Duration.ofSeconds(1));
        }
        return Result.requeueAfter(after.plusSeconds(1));
    }

    /** The new replica set's ReplicaFailure condition, or else an old one's, as a deployment condition. */
    private static Optional<ObjectNode> replicaFailure(List<ObjectNode> all, ObjectNode newRS) {
        List<ObjectNode> order = new ArrayList<>();
        if (newRS != null) {
            order.add(newRS);
        }
        order.addAll(all);
        for (ObjectNode rs : order) {
            if (rs == null) {
                continue;
            }
            Optional<ObjectNode> failure = Conditions.get(rs.path("status"), Conditions.REPLICA_FAILURE);
            if (failure.isPresent()) {
                ObjectNode condition = failure.get();
                return Optional.of(JsonNodeFactory.instance.objectNode()
                        .put("type", Conditions.REPLICA_FAILURE)
                        .put("status", condition.path("status").asText())
                        .put("lastUpdateTime", condition.path("lastTransitionTime").asText())
                        .put("lastTransitionTime", condition.path("lastTransitionTime").asText())
                        .put("reason", condition.path("reason").asText())
                        .put("message", condition.path("message").asText()));
            }
        }
        return Optional.empty();
    }

    private static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static void putIfNotZero(ObjectNode status, String field, long value) {
        if (value != 0) {
            status.put(field, value);
        }
    }
}
