package dev.kumo.controllers.scheduler;

import dev.kumo.controllers.scheduler.framework.FilterPlugin;
import dev.kumo.controllers.scheduler.framework.Plugin;
import dev.kumo.controllers.scheduler.framework.PostFilterPlugin;
import dev.kumo.controllers.scheduler.framework.PreFilterPlugin;
import dev.kumo.controllers.scheduler.framework.PreScorePlugin;
import dev.kumo.controllers.scheduler.framework.ScorePlugin;
import dev.kumo.controllers.scheduler.plugins.defaultpreemption.DefaultPreemption;
import dev.kumo.controllers.scheduler.plugins.interpodaffinity.InterPodAffinity;
import dev.kumo.controllers.scheduler.plugins.nodeaffinity.NodeAffinity;
import dev.kumo.controllers.scheduler.plugins.nodename.NodeName;
import dev.kumo.controllers.scheduler.plugins.nodeports.NodePorts;
import dev.kumo.controllers.scheduler.plugins.noderesources.BalancedAllocation;
import dev.kumo.controllers.scheduler.plugins.noderesources.Fit;
import dev.kumo.controllers.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import dev.kumo.controllers.scheduler.plugins.podtopologyspread.PodTopologySpread;
import dev.kumo.controllers.scheduler.plugins.tainttoleration.TaintToleration;

import java.util.ArrayList;
import java.util.List;

/**
 * A scheduler profile: the plugins at each extension point, in order, with the score weights. Plugins are added
 * the way kube-scheduler's {@code multiPoint} adds them: once, at every point they implement.
 */
public final class Profile {
    /** A score plugin with its weight. */
    public record WeightedScorePlugin(ScorePlugin plugin, int weight) {
    }

    /** kube-scheduler's default: adapt the share of nodes searched to the cluster's size. */
    public static final int ADAPTIVE_PERCENTAGE = 0;

    private final List<PreFilterPlugin> preFilter;
    private final List<FilterPlugin> filter;
    private final List<PostFilterPlugin> postFilter;
    private final List<PreScorePlugin> preScore;
    private final List<WeightedScorePlugin> score;
    private final int percentageOfNodesToScore;

    private Profile(Builder builder) {
        this.preFilter = List.copyOf(builder.preFilter);
        this.filter = List.copyOf(builder.filter);
        this.postFilter = List.copyOf(builder.postFilter);
        this.preScore = List.copyOf(builder.preScore);
        this.score = List.copyOf(builder.score);
        this.percentageOfNodesToScore = builder.percentageOfNodesToScore;
    }

    /**
     * kube-scheduler 1.32's default profile, minus the volume plugins and ImageLocality (kumo has no volumes or image
     * lists yet), with its default weights: TaintToleration 3, NodeAffinity 2, NodeResourcesFit 1,
     * PodTopologySpread 2, InterPodAffinity 2, NodeResourcesBalancedAllocation 1.
     */
    public static Profile defaults() {
        return builder()
                .add(new NodeUnschedulable())
                .add(new NodeName())
                .add(new TaintToleration(), 3)
                .add(new NodeAffinity(), 2)
                .add(new NodePorts())
                .add(new Fit(), 1)
                .add(new PodTopologySpread(), 2)
                .add(new InterPodAffinity(), 2)
                .add(new DefaultPreemption())
                .add(new BalancedAllocation(), 1)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * This profile without its post-filter plugins (preemption): for what-if placement, such as the provisioner's
     * "would these pods fit on nodes of that pool", where evicting lower-priority pods is not an answer.
     */
    public Profile withoutPostFilter() {
        Builder builder = new Builder();
        builder.preFilter.addAll(preFilter);
        builder.filter.addAll(filter);
        builder.preScore.addAll(preScore);
        builder.score.addAll(score);
        builder.percentageOfNodesToScore = percentageOfNodesToScore;
        return builder.build();
    }

    public List<PreFilterPlugin> preFilter() {
        return preFilter;
    }

    public List<FilterPlugin> filter() {
        return filter;
    }

    public List<PostFilterPlugin> postFilter() {
        return postFilter;
    }

    public List<PreScorePlugin> preScore() {
        return preScore;
    }

    public List<WeightedScorePlugin> score() {
        return score;
    }

    public int percentageOfNodesToScore() {
        return percentageOfNodesToScore;
    }

    public static final class Builder {
        private final List<PreFilterPlugin> preFilter = new ArrayList<>();
        private final List<FilterPlugin> filter = new ArrayList<>();
        private final List<PostFilterPlugin> postFilter = new ArrayList<>();
        private final List<PreScorePlugin> preScore = new ArrayList<>();
        private final List<WeightedScorePlugin> score = new ArrayList<>();
        private int percentageOfNodesToScore = ADAPTIVE_PERCENTAGE;

        /** Adds the plugin at every extension point it implements; a score plugin gets weight 1. */
        public Builder add(Plugin plugin) {
            return add(plugin, 1);
        }

        public Builder add(Plugin plugin, int weight) {
            if (plugin instanceof PreFilterPlugin p) {
                preFilter.add(p);
            }
            if (plugin instanceof FilterPlugin p) {
                filter.add(p);
            }
            if (plugin instanceof PostFilterPlugin p) {
                postFilter.add(p);
            }
            if (plugin instanceof PreScorePlugin p) {
                preScore.add(p);
            }
            if (plugin instanceof ScorePlugin p) {
                if (weight <= 0) {
                    throw new IllegalArgumentException("score plugin " + plugin.name() + " needs a positive weight");
                }
                score.add(new WeightedScorePlugin(p, weight));
            }
            return this;
        }

        /**
         * How many of the nodes to search for feasible ones, in percent; {@link #ADAPTIVE_PERCENTAGE} for
         * kube-scheduler's adaptive default. Clusters under 100 nodes are always searched whole.
         */
        public Builder percentageOfNodesToScore(int percentage) {
            if (percentage < 0 || percentage > 100) {
                throw new IllegalArgumentException("percentageOfNodesToScore must be within 0..100");
            }
            this.percentageOfNodesToScore = percentage;
            return this;
        }

        public Profile build() {
            return new Profile(this);
        }
    }
}
