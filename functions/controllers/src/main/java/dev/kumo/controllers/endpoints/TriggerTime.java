package dev.kumo.controllers.endpoints;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code endpoints.kubernetes.io/last-change-trigger-time} annotation: when the change that this write reflects
 * happened. kube-controller-manager's {@code TriggerTimeTracker} remembers, per service, the pod Ready transitions
 * and service creation it saw at the last sync and exports the earliest one that changed since. A loop invocation
 * has no such memory, so the last exported value stands in for it: the earliest trigger after it, or, when the
 * object is new, the service's creation; with no earlier value to go by, the latest trigger. Empty means none
 * (the annotation is removed, as kube does when a sync has no new trigger, e.g. a pod deletion).
 */
public final class TriggerTime {
    public static final String ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";

    private TriggerTime() {
    }

    /**
     * @param previous the annotation's value on the existing object(s), or null
     * @param exists   whether the object being written exists already
     */
    public static Optional<Instant> compute(ServiceInfo service, List<EndpointPod> pods, Instant previous,
                                            boolean exists) {
        if (!exists) {
            return Optional.ofNullable(service.created());
        }
        List<Instant> triggers = new ArrayList<>();
        pods.forEach(pod -> {
            if (pod.readyTransition() != null) {
                triggers.add(pod.readyTransition());
            }
        });
        if (service.created() != null) {
            triggers.add(service.created());
        }
        if (previous == null) {
            return triggers.stream().max(Instant::compareTo);
        }
        return triggers.stream().filter(t -> t.isAfter(previous)).min(Instant::compareTo);
    }

    /** Reads an annotation value (RFC 3339); null when absent or unreadable. */
    public static Instant parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            return null; // someone else's malformed value: treat as no previous trigger
        }
    }
}
