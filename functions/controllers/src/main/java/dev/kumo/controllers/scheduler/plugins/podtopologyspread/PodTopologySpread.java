package dev.kumo.controllers.scheduler.plugins.podtopologyspread;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.FilterPlugin;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.PreFilterPlugin;
import dev.kumo.controllers.scheduler.framework.PreFilterResult;
import dev.kumo.controllers.scheduler.framework.PreScorePlugin;
import dev.kumo.controllers.scheduler.framework.ScorePlugin;
import dev.kumo.controllers.scheduler.framework.Status;
import dev.kumo.controllers.scheduler.helper.InvalidSelectorException;
import dev.kumo.controllers.scheduler.helper.RequiredNodeAffinity;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Topology spread constraints. DoNotSchedule constraints filter: on the node's domain, the matching pods plus this
 * one minus the least-populated domain's count (0 while fewer than {@code minDomains} domains exist) must not exceed
 * {@code maxSkew}. ScheduleAnyway constraints score: fewer matching pods in the node's domain is better, weighted by
 * the log of the number of domains. Pods without constraints get the system defaults (hostname skew 3 and zone
 * skew 5, ScheduleAnyway) over the peers their services and controller select.
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    public static final String NAME = "PodTopologySpread";
    public static final String ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
    public static final String ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH
            + " (missing required label)";
    static final String HOSTNAME = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";
    /** kube-scheduler's {@code systemDefaultConstraints}. */
    private static final JsonNode SYSTEM_DEFAULT_CONSTRAINTS = systemDefaults();
    private static final long INVALID_SCORE = -1;

    private static final CycleState.Key<FilterState> FILTER_STATE = new CycleState.Key<>("PreFilter" + NAME);
    private static final CycleState.Key<ScoreState> SCORE_STATE = new CycleState.Key<>("PreScore" + NAME);

    /** Per constraint: matching pods per domain, and the smallest count (Integer.MAX_VALUE with no domain). */
    private record FilterState(List<SpreadConstraint> constraints, List<Map<String, Integer>> matchNum,
                               int[] minMatchNum) {
    }

    private record ScoreState(List<SpreadConstraint> constraints, Set<String> ignoredNodes,
                              Map<String, Map<String, Long>> pairCounts, double[] normalizingWeight) {
    }

    private static JsonNode systemDefaults() {
        ArrayNode constraints = JsonNodeFactory.instance.arrayNode();
        constraints.addObject().put("topologyKey", HOSTNAME).put("whenUnsatisfiable", SpreadConstraint.SCHEDULE_ANYWAY)
                .put("maxSkew", 3);
        constraints.addObject().put("topologyKey", ZONE).put("whenUnsatisfiable", SpreadConstraint.SCHEDULE_ANYWAY)
                .put("maxSkew", 5);
        return constraints;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The pod's constraints of one kind, or the system defaults over its peers when it declares none. */
    private static List<SpreadConstraint> constraints(PodInfo pod, ClusterSnapshot snapshot, String whenUnsatisfiable)
            throws InvalidSelectorException {
        JsonNode declared = pod.pod().path("spec").path("topologySpreadConstraints");
        if (!declared.isEmpty()) {
            return SpreadConstraint.select(declared, pod.labels(), whenUnsatisfiable);
        }
        List<SpreadConstraint> defaults = SpreadConstraint.select(SYSTEM_DEFAULT_CONSTRAINTS, pod.labels(),
                whenUnsatisfiable);
        if (defaults.isEmpty()) {
            return defaults;
        }
        LabelSelector selector = DefaultSelector.of(pod, snapshot.workloads());
        if (selector.isEverything()) {
            return List.of();
        }
        return defaults.stream().map(c -> c.withSelector(selector)).toList();
    }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot) {
        List<SpreadConstraint> constraints;
        try {
            constraints = constraints(pod, snapshot, SpreadConstraint.DO_NOT_SCHEDULE);
        } catch (InvalidSelectorException e) {
            return PreFilterResult.of(Status.error("get constraints from pod: obtaining pod's hard topology spread "
                    + "constraints: " + e.getMessage()));
        }
        if (constraints.isEmpty()) {
            return PreFilterResult.SKIP;
        }
        RequiredNodeAffinity required = RequiredNodeAffinity.of(pod.pod());
        List<Map<String, Integer>> matchNum = constraints.stream().map(c -> (Map<String, Integer>) new HashMap<String,
                Integer>()).toList();
        for (NodeInfo node : snapshot.nodes()) {
            if (!SpreadConstraint.nodeHasAllKeys(node.labels(), constraints)) {
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint constraint = constraints.get(i);
                if (constraint.includes(pod, node, required)) {
                    matchNum.get(i).merge(node.labels().get(constraint.topologyKey()),
                            constraint.countMatching(node, pod.namespace()), Integer::sum);
                }
            }
        }
        int[] minMatchNum = new int[constraints.size()];
        for (int i = 0; i < minMatchNum.length; i++) {
            minMatchNum[i] = matchNum.get(i).values().stream().mapToInt(Integer::intValue).min()
                    .orElse(Integer.MAX_VALUE);
        }
        state.write(FILTER_STATE, new FilterState(constraints, matchNum, minMatchNum));
        return PreFilterResult.ALL_NODES;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        FilterState s = state.read(FILTER_STATE);
        for (int i = 0; i < s.constraints().size(); i++) {
            SpreadConstraint constraint = s.constraints().get(i);
            String value = node.labels().get(constraint.topologyKey());
            if (value == null) {
                return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
            }
            Map<String, Integer> domains = s.matchNum().get(i);
            // Fewer domains than minDomains: the global minimum counts as 0.
            long minMatch = domains.size() < constraint.minDomains() ? 0 : s.minMatchNum()[i];
            long self = constraint.selector().matches(pod.labels()) ? 1 : 0;
            long skew = domains.getOrDefault(value, 0) + self - minMatch;
            if (skew > constraint.maxSkew()) {
                return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterSnapshot snapshot) {
        if (snapshot.size() == 0) {
            return Status.SKIP;
        }
        List<SpreadConstraint> constraints;
        try {
            constraints = constraints(pod, snapshot, SpreadConstraint.SCHEDULE_ANYWAY);
        } catch (InvalidSelectorException e) {
            return Status.error("calculating preScoreState: obtaining pod's soft topology spread constraints: "
                    + e.getMessage());
        }
        if (constraints.isEmpty()) {
            return Status.SKIP;
        }
        // Only declared constraints require every topology key: with the defaults, nodes without a zone label still
        // spread by hostname.
        boolean requireAllTopologies = !pod.pod().path("spec").path("topologySpreadConstraints").isEmpty();
        Set<String> ignored = new HashSet<>();
        Map<String, Map<String, Long>> pairCounts = new HashMap<>();
        int[] domains = new int[constraints.size()];
        for (NodeInfo node : feasibleNodes) {
            if (requireAllTopologies && !SpreadConstraint.nodeHasAllKeys(node.labels(), constraints)) {
                ignored.add(node.name());
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                String key = constraints.get(i).topologyKey();
                // Hostname counts are taken per node at Score.
                if (key.equals(HOSTNAME)) {
                    continue;
                }
                String value = node.labels().getOrDefault(key, "");
                if (pairCounts.computeIfAbsent(key, k -> new HashMap<>()).putIfAbsent(value, 0L) == null) {
                    domains[i]++;
                }
            }
        }
        double[] weights = new double[constraints.size()];
        for (int i = 0; i < constraints.size(); i++) {
            int size = constraints.get(i).topologyKey().equals(HOSTNAME)
                    ? feasibleNodes.size() - ignored.size() : domains[i];
            weights[i] = Math.log(size + 2);
        }
        RequiredNodeAffinity required = RequiredNodeAffinity.of(pod.pod());
        for (NodeInfo node : snapshot.nodes()) {
            if (requireAllTopologies && !SpreadConstraint.nodeHasAllKeys(node.labels(), constraints)) {
                continue;
            }
            for (SpreadConstraint constraint : constraints) {
                if (!constraint.includes(pod, node, required)) {
                    continue;
                }
                Map<String, Long> counts = pairCounts.get(constraint.topologyKey());
                String value = node.labels().getOrDefault(constraint.topologyKey(), "");
                // Only domains of candidate nodes matter.
                if (counts != null && counts.containsKey(value)) {
                    counts.merge(value, (long) constraint.countMatching(node, pod.namespace()), Long::sum);
                }
            }
        }
        state.write(SCORE_STATE, new ScoreState(constraints, ignored, pairCounts, weights));
        return Status.SUCCESS;
    }

    /** The sum over constraints of matching pods in the node's domain times the domain weight, plus maxSkew - 1. */
    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        ScoreState s = state.read(SCORE_STATE);
        if (s.ignoredNodes().contains(node.name())) {
            return 0;
        }
        double score = 0;
        for (int i = 0; i < s.constraints().size(); i++) {
            SpreadConstraint constraint = s.constraints().get(i);
            String value = node.labels().get(constraint.topologyKey());
            if (value == null) {
                continue;
            }
            long count = constraint.topologyKey().equals(HOSTNAME)
                    ? constraint.countMatching(node, pod.namespace())
                    : s.pairCounts().get(constraint.topologyKey()).get(value);
            score += count * s.normalizingWeight()[i] + (constraint.maxSkew() - 1);
        }
        return Math.round(score);
    }

    /** Fewer matching pods scores higher: {@code 100 * (max + min - score) / max}; ignored nodes get 0. */
    @Override
    public void normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScoreState s = state.read(SCORE_STATE);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes().contains(nodes.get(i).name())) {
                scores[i] = INVALID_SCORE;
                continue;
            }
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] == INVALID_SCORE) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = MAX_NODE_SCORE;
            } else {
                scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
            }
        }
    }
}
