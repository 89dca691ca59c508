package dev.kumo.controllers.scheduler.framework;

import java.util.List;

/**
 * Ranks a feasible node. After {@link #normalizeScore} every score must lie in 0..{@link #MAX_NODE_SCORE}; the
 * cycle then multiplies it by the plugin's weight and sums over plugins.
 */
public interface ScorePlugin extends Plugin {
    long MAX_NODE_SCORE = 100;
    long MIN_NODE_SCORE = 0;

    long score(CycleState state, PodInfo pod, NodeInfo node);

    /** Rescales the raw scores in place; {@code scores[i]} belongs to {@code nodes.get(i)}. None by default. */
    default void normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    }
}
