package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.status.Conditions;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What the workload controllers read from a pod, as Kubernetes' {@code podutil} and controller helpers do. */
public final class Pods {
    /** {@code controller.kubernetes.io/pod-deletion-cost}: pods with a lower cost are deleted first. */
    public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    private static final String READY = "Ready";

    private Pods() {
    }

    /** Not Succeeded, not Failed and not being deleted ({@code controller.IsPodActive}). */
    public static boolean isActive(JsonNode pod) {
        String phase = phase(pod);
        return !phase.equals("Succeeded") && !phase.equals("Failed") && !Meta.isBeingDeleted(pod);
    }

    public static String phase(JsonNode pod) {
        return pod.path("status").path("phase").asText("");
    }

    public static String nodeName(JsonNode pod) {
        return pod.path("spec").path("nodeName").asText("");
    }

    /** The Ready condition is True. */
    public static boolean isReady(JsonNode pod) {
        return Conditions.status(pod, READY).equals("True");
    }

    /** When the pod became ready (the Ready condition's lastTransitionTime), if it is ready and says so. */
    public static Optional<Instant> readySince(JsonNode pod) {
        if (!isReady(pod)) {
            return Optional.empty();
        }
        return Conditions.find(pod, READY).flatMap(c -> Times.parse(c.path("lastTransitionTime")));
    }

    /**
     * Ready for at least {@code minReadySeconds} ({@code podutil.IsPodAvailable}): ready, and either no minimum or
     * a known ready time strictly more than the minimum before {@code now}.
     */
    public static boolean isAvailable(JsonNode pod, long minReadySeconds, Instant now) {
        if (!isReady(pod)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        return readySince(pod).map(since -> since.plusSeconds(minReadySeconds).isBefore(now)).orElse(false);
    }

    /** How long until a ready pod becomes available, or empty when it is not ready or already available. */
    public static Optional<Duration> untilAvailable(JsonNode pod, long minReadySeconds, Instant now) {
        if (minReadySeconds == 0 || isAvailable(pod, minReadySeconds, now)) {
            return Optional.empty();
        }
        return readySince(pod).map(since -> Duration.between(now, since.plusSeconds(minReadySeconds)));
    }

    /** The most restarts of any of its containers. */
    public static int maxContainerRestarts(JsonNode pod) {
        int max = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            max = Math.max(max, status.path("restartCount").asInt(0));
        }
        return max;
    }

    /** The pod-deletion-cost annotation as an int32; 0 when absent or not a valid number, as Kubernetes reads it. */
    public static int deletionCost(JsonNode pod) {
        String value = pod.path("metadata").path("annotations").path(DELETION_COST).asText("");
        if (value.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static Optional<Instant> creationTimestamp(JsonNode object) {
        return Times.parse(object.path("metadata").path("creationTimestamp"));
    }
}
