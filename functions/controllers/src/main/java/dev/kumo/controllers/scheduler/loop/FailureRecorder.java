package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.events.EventRecorder;

/**
 * kube-scheduler's {@code handleSchedulingFailure}: the pod's PodScheduled condition goes False with the reason
 * ({@code Unschedulable}, or {@code SchedulerError} when the attempt itself failed) and the message, its
 * {@code status.nominatedNodeName} follows the nomination, and a {@code FailedScheduling} Warning event carries the
 * message.
 */
final class FailureRecorder {
    static final String SCHEDULER_ERROR = "SchedulerError";
    /** {@code validation.NoteLengthLimit}: the longest event message; longer ones are cut as kube-scheduler does. */
    static final int NOTE_LENGTH_LIMIT = 1024;

    private final PodStatusUpdater status;
    private final EventRecorder events;

    /** What becomes of {@code status.nominatedNodeName} ({@code NominatingInfo}'s modes). */
    sealed interface Nomination {
        Nomination KEEP = new Keep();
        Nomination CLEAR = new Nominate("");
    }

    /** {@code ModeNoop}: as it is. */
    record Keep() implements Nomination {
    }

    /** {@code ModeOverride}: this node, or none when empty. */
    record Nominate(String node) implements Nomination {
    }

    /** One failed attempt: the condition's reason and message and the nomination. */
    record Failure(String reason, String message, Nomination nomination) {
        /** Whether the pod already says exactly this (a repeat of the last attempt's verdict). */
        boolean isAlreadyOn(ObjectNode pod) {
            var condition = PendingPods.podScheduled(pod);
            boolean sameCondition = "False".equals(condition.path("status").asText())
                    && reason.equals(condition.path("reason").asText())
                    && message.equals(condition.path("message").asText());
            return sameCondition && (!(nomination instanceof Nominate set)
                    || set.node().equals(pod.path("status").path("nominatedNodeName").asText("")));
        }
    }

    FailureRecorder(PodStatusUpdater status, EventRecorder events) {
        this.status = status;
        this.events = events;
    }

    /**
     * Writes the failure onto the pod. The event is recorded when the pod's status changed or when {@code
     * eventIfUnchanged} (a retry that came to the same verdict counts as another failed attempt); a repeat of the
     * verdict for the pod's own change (often the echo of the status written here) records nothing.
     */
    void record(ObjectNode pod, Failure failure, boolean eventIfUnchanged) {
        boolean changed = status.update(pod, copy -> {
            if (!PendingPods.isOurs(copy)) {
                return false; // bound or deleted meanwhile: nothing failed any more
            }
            boolean conditionChanged = status.setCondition(copy, PendingPods.POD_SCHEDULED, "False",
                    failure.reason(), failure.message());
            return nominate(copy, failure.nomination()) | conditionChanged;
        }).isPresent();
        if (changed || eventIfUnchanged) {
            events.warning(pod, "FailedScheduling", truncate(failure.message()));
        }
    }

    private static boolean nominate(ObjectNode pod, Nomination nomination) {
        if (!(nomination instanceof Nominate set)) {
            return false;
        }
        ObjectNode podStatus = (ObjectNode) pod.path("status");
        String current = podStatus.path("nominatedNodeName").asText("");
        if (current.equals(set.node())) {
            return false;
        }
        if (set.node().isEmpty()) {
            podStatus.remove("nominatedNodeName");
        } else {
            podStatus.put("nominatedNodeName", set.node());
        }
        return true;
    }

    static String truncate(String message) {
        if (message.length() <= NOTE_LENGTH_LIMIT) {
            return message;
        }
        String suffix = " ...";
        return message.substring(0, NOTE_LENGTH_LIMIT - suffix.length()) + suffix;
    }
}
