package dev.kumo.controllers.scheduler.framework;

/**
 * Runs when no node passed Filter (kube-scheduler's PostFilter, where DefaultPreemption lives). Its message is
 * appended to the FailedScheduling message.
 */
public interface PostFilterPlugin extends Plugin {
    PostFilterResult postFilter(CycleState state, PodInfo pod, Diagnosis diagnosis, ClusterSnapshot snapshot,
                                FilterRunner filters);

    /**
     * The cycle's PreFilter and Filter plugins for the cycle's pod, for a plugin that asks "would the pod fit if
     * ..." on a changed node (preemption's dry run).
     */
    interface FilterRunner {
        /** PreFilter against {@code snapshot}, then Filter on {@code node}; the first status that is not success. */
        Status runOn(ClusterSnapshot snapshot, NodeInfo node);
    }
}
