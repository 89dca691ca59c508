package dev.kumo.controllers.scheduler.framework;

import java.util.List;

/** Runs once per pod over the feasible nodes before scoring; {@link Status#SKIP} skips the plugin's Score. */
public interface PreScorePlugin extends Plugin {
    Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterSnapshot snapshot);
}
