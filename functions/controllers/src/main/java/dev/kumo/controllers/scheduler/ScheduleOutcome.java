package dev.kumo.controllers.scheduler;

import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.PostFilterResult;

/** How one pod's scheduling attempt ended. */
public sealed interface ScheduleOutcome {
    PodInfo pod();

    /** A node was chosen ({@link Scheduler#schedule}); nothing is assumed or bound yet. */
    record Scheduled(PodInfo pod, String nodeName, int evaluatedNodes, int feasibleNodes) implements ScheduleOutcome {
    }

    /**
     * No node fits: {@link FitError#message()} is the FailedScheduling message. {@code postFilter} is what
     * preemption found: on success a node to nominate once its {@code victims} are evicted.
     */
    record Unschedulable(PodInfo pod, FitError fitError, PostFilterResult postFilter) implements ScheduleOutcome {
        public String message() {
            return fitError.message();
        }
    }

    /** The attempt itself failed (a plugin error, no nodes at all); {@code message} says why. */
    record Failed(PodInfo pod, String message) implements ScheduleOutcome {
    }
}
