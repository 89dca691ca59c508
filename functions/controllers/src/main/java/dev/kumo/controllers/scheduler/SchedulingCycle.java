package dev.kumo.controllers.scheduler;

import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.Diagnosis;
import dev.kumo.controllers.scheduler.framework.FilterPlugin;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.PostFilterPlugin;
import dev.kumo.controllers.scheduler.framework.PostFilterResult;
import dev.kumo.controllers.scheduler.framework.PreFilterPlugin;
import dev.kumo.controllers.scheduler.framework.PreFilterResult;
import dev.kumo.controllers.scheduler.framework.PreScorePlugin;
import dev.kumo.controllers.scheduler.framework.ScorePlugin;
import dev.kumo.controllers.scheduler.framework.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * One pod through one scheduling cycle against one snapshot, as kube-scheduler's {@code schedulePod} runs it:
 * PreFilter, Filter over the nodes (stopping once enough feasible nodes are found), PostFilter when none is, then
 * PreScore, Score, NormalizeScore and weights over the feasible nodes, and the best total wins.
 */
final class SchedulingCycle {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulingCycle.class);
    /** kube-scheduler's {@code minFeasibleNodesToFind} and {@code minFeasibleNodesPercentageToFind}. */
    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
    static final String NO_NODES_AVAILABLE = "no nodes available to schedule pods";

    private final Profile profile;
    private final ClusterSnapshot snapshot;
    private final PodInfo pod;
    private final RandomGenerator random;
    private final int startIndex;
    private final CycleState state = new CycleState();
    private final Diagnosis diagnosis = new Diagnosis();
    private int processedNodes;

    /** A plugin returned an error status: the attempt fails. */
    private static final class PluginError extends Exception {
        PluginError(String message) {
            super(message);
        }
    }

    SchedulingCycle(Profile profile, ClusterSnapshot snapshot, PodInfo pod, RandomGenerator random, int startIndex) {
        this.profile = profile;
        this.snapshot = snapshot;
        this.pod = pod;
        this.random = random;
        this.startIndex = startIndex;
    }

    /** How many nodes Filter looked at: where the next cycle starts its search. */
    int processedNodes() {
        return processedNodes;
    }

    ScheduleOutcome run() {
        if (snapshot.size() == 0) {
            return new ScheduleOutcome.Failed(pod, NO_NODES_AVAILABLE);
        }
        try {
            List<NodeInfo> feasible = findNodesThatFit();
            if (feasible.isEmpty()) {
                FitError fitError = new FitError(snapshot.size(), diagnosis);
                PostFilterResult postFilter = runPostFilter();
                diagnosis.setPostFilterMessage(postFilter.status().message());
                return new ScheduleOutcome.Unschedulable(pod, fitError, postFilter);
            }
            int evaluated = feasible.size() + diagnosis.nodeToStatus().size();
            if (feasible.size() == 1) {
                return new ScheduleOutcome.Scheduled(pod, feasible.get(0).name(), evaluated, 1);
            }
            long[] totals = prioritize(feasible);
            return new ScheduleOutcome.Scheduled(pod, selectHost(feasible, totals), evaluated, feasible.size());
        } catch (PluginError e) {
            return new ScheduleOutcome.Failed(pod, e.getMessage());
        } catch (RuntimeException e) {
            // A plugin bug must not stop the other pods: this attempt fails, loudly, and the next one runs.
            LOG.atError().setMessage("scheduling cycle failed").addKeyValue("pod", pod.key()).setCause(e).log();
            return new ScheduleOutcome.Failed(pod, "scheduling pod " + pod.key() + ": " + e);
        }
    }

    private List<NodeInfo> findNodesThatFit() throws PluginError {
        PreFilterOutcome preFilter = runPreFilter(state, snapshot);
        if (!preFilter.status().isSuccess()) {
            // Every node gets the PreFilter's status, and its message stands for all of them.
            diagnosis.setAbsentNodesStatus(preFilter.status());
            diagnosis.setPreFilterMessage(preFilter.status().message());
            return List.of();
        }
        List<NodeInfo> nodes = snapshot.nodes();
        if (preFilter.nodeNames() != null) {
            nodes = new ArrayList<>();
            for (NodeInfo node : snapshot.nodes()) {
                if (preFilter.nodeNames().contains(node.name())) {
                    nodes.add(node);
                }
            }
            diagnosis.setAbsentNodesStatus(Status.unresolvable(
                    "node(s) didn't satisfy plugin(s) " + goList(preFilter.plugins())));
        }
        return filterNodes(nodes);
    }

    private List<NodeInfo> filterNodes(List<NodeInfo> nodes) throws PluginError {
        List<NodeInfo> feasible = new ArrayList<>();
        int count = nodes.size();
        if (count == 0) {
            return feasible;
        }
        int wanted = numFeasibleNodesToFind(profile.percentageOfNodesToScore(), count);
        for (int i = 0; i < count && feasible.size() < wanted; i++) {
            NodeInfo node = nodes.get((startIndex + i) % count);
            Status status = runFilters(state, node);
            if (status.isSuccess()) {
                feasible.add(node);
            } else {
                diagnosis.set(node.name(), status);
            }
        }
        processedNodes = feasible.size() + diagnosis.nodeToStatus().size();
        return feasible;
    }

    /** {@code numFeasibleNodesToFind}: all of a small cluster, else a share that shrinks as the cluster grows. */
    static int numFeasibleNodesToFind(int percentageOfNodesToScore, int numAllNodes) {
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) {
            return numAllNodes;
        }
        int percentage = percentageOfNodesToScore;
        if (percentage == 0) {
            percentage = Math.max(50 - numAllNodes / 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
        }
        return Math.max(numAllNodes * percentage / 100, MIN_FEASIBLE_NODES_TO_FIND);
    }

    /** The PreFilter's status, the nodes it narrowed the search to (null for all), and the plugins that narrowed. */
    private record PreFilterOutcome(Status status, Set<String> nodeNames, Set<String> plugins) {
    }

    private PreFilterOutcome runPreFilter(CycleState cycleState, ClusterSnapshot view) throws PluginError {
        Status result = Status.SUCCESS;
        Set<String> nodeNames = null;
        List<String> narrowing = new ArrayList<>();
        for (PreFilterPlugin plugin : profile.preFilter()) {
            PreFilterResult answer = plugin.preFilter(cycleState, pod, view);
            Status status = answer.status();
            if (status.isSkip()) {
                cycleState.skipFilterPlugins().add(plugin.name());
                continue;
            }
            if (!status.isSuccess()) {
                if (status.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                    // Preemption cannot help: no need to run the other PreFilters.
                    return new PreFilterOutcome(status, null, Set.of());
                }
                if (status.code() == Status.Code.UNSCHEDULABLE) {
                    result = status;
                    continue;
                }
                throw new PluginError("running PreFilter plugin \"" + plugin.name() + "\": " + status.message());
            }
            if (!answer.allNodes()) {
                narrowing.add(plugin.name());
                if (nodeNames == null) {
                    nodeNames = new HashSet<>(answer.nodeNames());
                } else {
                    nodeNames.retainAll(answer.nodeNames());
                }
                if (nodeNames.isEmpty()) {
                    String message = narrowing.size() == 1
                            ? "node(s) didn't satisfy plugin " + narrowing.get(0)
                            : "node(s) didn't satisfy plugin(s) " + goList(narrowing) + " simultaneously";
                    return new PreFilterOutcome(Status.unresolvable(message), null, new TreeSet<>(narrowing));
                }
            }
        }
        return new PreFilterOutcome(result, nodeNames, new TreeSet<>(narrowing));
    }

    /** Go's {@code %v} of a string slice: {@code [A B]}. */
    private static String goList(Iterable<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    /** The first Filter that does not pass decides the node's status. */
    private Status runFilters(CycleState cycleState, NodeInfo node) throws PluginError {
        for (FilterPlugin plugin : profile.filter()) {
            if (cycleState.skipFilterPlugins().contains(plugin.name())) {
                continue;
            }
            Status status = plugin.filter(cycleState, pod, node);
            if (!status.isSuccess()) {
                if (!status.isRejected()) {
                    throw new PluginError("running \"" + plugin.name() + "\" filter plugin: " + status.message());
                }
                return status;
            }
        }
        return Status.SUCCESS;
    }

    /** PreFilter against another view of the cluster, then Filter on one node of it (for preemption's dry run). */
    private Status runOn(ClusterSnapshot view, NodeInfo node) {
        try {
            CycleState fresh = new CycleState();
            PreFilterOutcome preFilter = runPreFilter(fresh, view);
            if (!preFilter.status().isSuccess()) {
                return preFilter.status();
            }
            if (preFilter.nodeNames() != null && !preFilter.nodeNames().contains(node.name())) {
                return Status.unresolvable("node(s) didn't satisfy plugin(s) " + goList(preFilter.plugins()));
            }
            return runFilters(fresh, node);
        } catch (PluginError e) {
            return Status.error(e.getMessage());
        }
    }

    /** The first PostFilter that succeeds or rules preemption out wins; otherwise their reasons together. */
    private PostFilterResult runPostFilter() throws PluginError {
        List<String> reasons = new ArrayList<>();
        for (PostFilterPlugin plugin : profile.postFilter()) {
            PostFilterResult result = plugin.postFilter(state, pod, diagnosis, snapshot, this::runOn);
            Status status = result.status();
            if (status.isSuccess() || status.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                return result;
            }
            if (!status.isRejected()) {
                throw new PluginError("running PostFilter plugin \"" + plugin.name() + "\": " + status.message());
            }
            reasons.addAll(status.reasons());
        }
        return PostFilterResult.failed(new Status(Status.Code.UNSCHEDULABLE, reasons));
    }

    /** Each node's weighted score total ({@code prioritizeNodes}); without score plugins every node scores 1. */
    private long[] prioritize(List<NodeInfo> feasible) throws PluginError {
        long[] totals = new long[feasible.size()];
        if (profile.score().isEmpty()) {
            java.util.Arrays.fill(totals, 1);
            return totals;
        }
        for (PreScorePlugin plugin : profile.preScore()) {
            Status status = plugin.preScore(state, pod, feasible, snapshot);
            if (status.isSkip()) {
                state.skipScorePlugins().add(plugin.name());
            } else if (!status.isSuccess()) {
                throw new PluginError("running PreScore plugin \"" + plugin.name() + "\": " + status.message());
            }
        }
        for (Profile.WeightedScorePlugin weighted : profile.score()) {
            ScorePlugin plugin = weighted.plugin();
            if (state.skipScorePlugins().contains(plugin.name())) {
                continue;
            }
            long[] scores = new long[feasible.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = plugin.score(state, pod, feasible.get(i));
            }
            plugin.normalizeScore(state, pod, feasible, scores);
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] < ScorePlugin.MIN_NODE_SCORE || scores[i] > ScorePlugin.MAX_NODE_SCORE) {
                    throw new PluginError("plugin \"" + plugin.name() + "\" returns an invalid score " + scores[i]
                            + ", it should in the range of [" + ScorePlugin.MIN_NODE_SCORE + ", "
                            + ScorePlugin.MAX_NODE_SCORE + "] after normalizing");
                }
                totals[i] += scores[i] * weighted.weight();
            }
        }
        return totals;
    }

    /**
     * The node with the highest total. Ties go to one of the tied nodes chosen uniformly at random (reservoir
     * sampling, as {@code selectHost} does) when a random generator is given, else to the first in search order.
     */
    private String selectHost(List<NodeInfo> feasible, long[] totals) {
        int selected = 0;
        int tied = 1;
        for (int i = 1; i < totals.length; i++) {
            if (totals[i] > totals[selected]) {
                selected = i;
                tied = 1;
            } else if (totals[i] == totals[selected]) {
                tied++;
                if (random != null && random.nextInt(tied) == 0) {
                    selected = i;
                }
            }
        }
        return feasible.get(selected).name();
    }
}
