package dev.kumo.controllers.scheduler.framework;

/**
 * Runs once per pod before any node is filtered: computes what Filter needs, may narrow the nodes worth filtering,
 * or rejects the pod outright.
 */
public interface PreFilterPlugin extends Plugin {
    /** {@link PreFilterResult#ALL_NODES} with success, a subset of node names, or a status that is not success. */
    PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot);
}
