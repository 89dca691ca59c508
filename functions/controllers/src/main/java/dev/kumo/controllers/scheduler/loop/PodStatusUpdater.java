package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.status.Conditions;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Changes a pod's status through {@code pods/<name>/status} with optimistic concurrency: the change is applied to
 * the pod as the caller knows it, and when that copy is stale (409) to the pod read again, so that a condition
 * written meanwhile by someone else is never overwritten.
 */
final class PodStatusUpdater {
    private static final int ATTEMPTS = 5;

    private final KubeClient client;
    private final Clock clock;

    PodStatusUpdater(KubeClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * Applies {@code change} (which edits the copy it is given and says whether anything changed) and writes the
     * result; empty when nothing changed, or the pod is gone or was replaced by another of the same name.
     */
    Optional<ObjectNode> update(ObjectNode pod, Predicate<ObjectNode> change) {
        ObjectNode known = pod;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            ObjectNode copy = known.deepCopy();
            if (!copy.has("status") || !copy.get("status").isObject()) {
                copy.putObject("status");
            }
            if (!change.test(copy)) {
                return Optional.empty();
            }
            try {
                return Optional.of(client.updateStatus(ResourceType.PODS, copy));
            } catch (ApiError e) {
                if (e.isNotFound()) {
                    return Optional.empty();
                }
                if (!e.isConflict()) {
                    throw e;
                }
            }
            Optional<ObjectNode> current = client.get(ResourceType.PODS, Meta.namespace(pod), Meta.name(pod));
            if (current.isEmpty() || !Meta.uid(current.get()).equals(Meta.uid(pod))) {
                return Optional.empty();
            }
            known = current.get();
        }
        throw new IllegalStateException("the status of pod " + Meta.namespace(pod) + "/" + Meta.name(pod)
                + " kept changing under " + ATTEMPTS + " attempts to update it");
    }

    /**
     * {@code podutil.UpdatePodCondition} on {@code pod} in place: false when type, status, reason and message are as
     * they were.
     */
    boolean setCondition(ObjectNode pod, String type, String status, String reason, String message) {
        Optional<ArrayNode> updated = Conditions.with(pod, type, status, reason, message,
                clock.instant().truncatedTo(ChronoUnit.SECONDS));
        updated.ifPresent(conditions -> ((ObjectNode) pod.path("status")).set("conditions", conditions));
        return updated.isPresent();
    }
}
