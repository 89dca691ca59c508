package dev.kumo.controllers.scheduler.framework;

/** Decides whether one node can take the pod; the first plugin that says no decides the node's reasons. */
public interface FilterPlugin extends Plugin {
    Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
