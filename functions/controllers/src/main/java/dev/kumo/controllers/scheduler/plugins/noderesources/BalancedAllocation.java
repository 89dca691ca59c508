package dev.kumo.controllers.scheduler.plugins.noderesources;

import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.PreScorePlugin;
import dev.kumo.controllers.scheduler.framework.ScorePlugin;
import dev.kumo.controllers.scheduler.framework.Status;

import java.util.List;

/**
 * NodeResourcesBalancedAllocation: prefers nodes whose resources would be used in equal shares with the pod placed
 * (100 minus 100 times the standard deviation of the requested fractions). Counts actual requests, not the
 * "non-zero" defaults.
 */
public final class BalancedAllocation implements PreScorePlugin, ScorePlugin {
    public static final String NAME = "NodeResourcesBalancedAllocation";

    private final ResourceAllocationScorer scorer;

    public BalancedAllocation() {
        this(ResourceSpec.DEFAULT);
    }

    public BalancedAllocation(List<ResourceSpec> resources) {
        this.scorer = new ResourceAllocationScorer(NAME, resources, true, BalancedAllocation::balancedScore);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterSnapshot snapshot) {
        scorer.preScore(state, pod);
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        return scorer.score(state, node);
    }

    /** {@code balancedResourceScorer}: fractions capped at 1; two resources use half their difference as deviation. */
    static long balancedScore(long[] requested, long[] allocatable) {
        double[] fractions = new double[requested.length];
        int count = 0;
        double total = 0;
        for (int i = 0; i < requested.length; i++) {
            if (allocatable[i] == 0) {
                continue;
            }
            double fraction = Math.min(1, (double) requested[i] / (double) allocatable[i]);
            total += fraction;
            fractions[count++] = fraction;
        }
        double std = 0;
        if (count == 2) {
            std = Math.abs((fractions[0] - fractions[1]) / 2);
        } else if (count > 2) {
            double mean = total / count;
            double sum = 0;
            for (int i = 0; i < count; i++) {
                sum += (fractions[i] - mean) * (fractions[i] - mean);
            }
            std = Math.sqrt(sum / count);
        }
        return (long) ((1 - std) * ScorePlugin.MAX_NODE_SCORE);
    }
}
