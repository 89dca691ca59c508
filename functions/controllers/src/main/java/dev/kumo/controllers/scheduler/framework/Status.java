package dev.kumo.controllers.scheduler.framework;

import java.util.List;

/**
 * What a plugin says about a pod (and a node): kube-scheduler's {@code framework.Status}. The reasons are the words
 * that end up, counted per node, in the FailedScheduling message.
 */
public record Status(Code code, List<String> reasons) {

    /** kube-scheduler's status codes (those a scheduling cycle without Permit can produce). */
    public enum Code {
        SUCCESS,
        /** An internal problem: the attempt fails, nodes are not to blame. */
        ERROR,
        /** The node cannot take the pod now; preemption may help. */
        UNSCHEDULABLE,
        /** The node cannot take the pod and preemption would not change that. */
        UNSCHEDULABLE_AND_UNRESOLVABLE,
        /** From PreFilter or PreScore: the plugin has nothing to do for this pod; its later points are skipped. */
        SKIP
    }

    public static final Status SUCCESS = new Status(Code.SUCCESS, List.of());
    public static final Status SKIP = new Status(Code.SKIP, List.of());

    public Status {
        reasons = List.copyOf(reasons);
    }

    public static Status unschedulable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE, List.of(reasons));
    }

    public static Status unresolvable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons));
    }

    public static Status error(String message) {
        return new Status(Code.ERROR, List.of(message));
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public boolean isSkip() {
        return code == Code.SKIP;
    }

    /** Unschedulable, with or without hope from preemption. */
    public boolean isRejected() {
        return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
    }

    /** The reasons joined as kube-scheduler's {@code Status.Message()} joins them. */
    public String message() {
        return String.join(", ", reasons);
    }
}
