package dev.kumo.controllers.scheduler.plugins.noderesources;

import dev.kumo.controllers.scheduler.framework.ScorePlugin;

import java.util.List;

/**
 * The LeastAllocated scoring strategy ({@code leastResourceScorer}): per resource, the share of allocatable that
 * stays free with the pod placed, scaled to 0..100, then the weighted average over the resources the node has.
 */
final class LeastAllocated implements ResourceAllocationScorer.Strategy {
    private final List<ResourceSpec> resources;

    LeastAllocated(List<ResourceSpec> resources) {
        this.resources = List.copyOf(resources);
    }

    @Override
    public long score(long[] requested, long[] allocatable) {
        long nodeScore = 0;
        long weightSum = 0;
        for (int i = 0; i < requested.length; i++) {
            if (allocatable[i] == 0) {
                continue;
            }
            long weight = resources.get(i).weight();
            nodeScore += leastRequestedScore(requested[i], allocatable[i]) * weight;
            weightSum += weight;
        }
        return weightSum == 0 ? 0 : nodeScore / weightSum;
    }

    static long leastRequestedScore(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * ScorePlugin.MAX_NODE_SCORE / capacity;
    }
}
