package dev.kumo.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * kube-scheduler's SchedulingGates PreEnqueue plugin: a pod with {@code spec.schedulingGates} is not scheduled at all
 * (no cycle, no FailedScheduling event) until the gates are removed; its PodScheduled condition says why.
 */
public final class SchedulingGates {
    /** The PodScheduled condition's reason and message for a gated pod. */
    public static final String REASON = "SchedulingGated";
    public static final String MESSAGE = "Scheduling is blocked due to non-empty scheduling gates";

    private SchedulingGates() {
    }

    public static boolean isGated(JsonNode pod) {
        return !pod.path("spec").path("schedulingGates").isEmpty();
    }
}
