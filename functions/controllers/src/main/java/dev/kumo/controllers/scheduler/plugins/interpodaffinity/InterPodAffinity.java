package dev.kumo.controllers.scheduler.plugins.interpodaffinity;

import dev.kumo.controllers.scheduler.framework.AffinityTerm;
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
import dev.kumo.controllers.scheduler.framework.WeightedAffinityTerm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inter-pod affinity and anti-affinity by topology key. Filter: the pod's required affinity terms must find matching
 * pods in the node's domain (or the pod is the first of a group that selects itself), its required anti-affinity
 * terms must find none, and no placed pod's required anti-affinity may select the pod within its domain. Score: the
 * preferred terms of the pod and of placed pods (and placed pods' required affinity, at weight
 * {@code hardPodAffinityWeight}) add or subtract their weights per domain, normalised to 0..100.
 *
 * <p>Namespace selectors of the incoming pod's terms are resolved to namespace names against the snapshot's
 * namespaces; placed pods' terms are matched against the incoming pod's namespace labels.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    public static final String NAME = "InterPodAffinity";
    public static final String ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH =
            "node(s) didn't satisfy existing pods anti-affinity rules";
    public static final String ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
    public static final String ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH =
            "node(s) didn't match pod anti-affinity rules";
    /** kube-scheduler's default {@code InterPodAffinityArgs.HardPodAffinityWeight}. */
    public static final int DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

    private static final CycleState.Key<FilterState> FILTER_STATE = new CycleState.Key<>("PreFilter" + NAME);
    private static final CycleState.Key<Map<String, Map<String, Long>>> SCORE_STATE =
            new CycleState.Key<>("PreScore" + NAME);

    private record FilterState(List<AffinityTerm> requiredAffinity, List<AffinityTerm> requiredAntiAffinity,
                               PodInfo pod, TopologyCounts existingAntiAffinityCounts, TopologyCounts affinityCounts,
                               TopologyCounts antiAffinityCounts) {
    }

    private final int hardPodAffinityWeight;
    private final boolean ignorePreferredTermsOfExistingPods;

    public InterPodAffinity() {
        this(DEFAULT_HARD_POD_AFFINITY_WEIGHT, false);
    }

    public InterPodAffinity(int hardPodAffinityWeight, boolean ignorePreferredTermsOfExistingPods) {
        this.hardPodAffinityWeight = hardPodAffinityWeight;
        this.ignorePreferredTermsOfExistingPods = ignorePreferredTermsOfExistingPods;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot) {
        if (!pod.parseErrors().isEmpty()) {
            String errors = pod.parseErrors().size() == 1 ? pod.parseErrors().get(0) : pod.parseErrors().toString();
            return PreFilterResult.of(Status.unresolvable("parsing pod: " + errors));
        }
        List<AffinityTerm> affinity = resolve(pod.requiredAffinityTerms(), snapshot);
        List<AffinityTerm> antiAffinity = resolve(pod.requiredAntiAffinityTerms(), snapshot);
        Map<String, String> namespaceLabels = snapshot.namespaceLabels(pod.namespace());

        TopologyCounts existing = new TopologyCounts();
        for (NodeInfo node : snapshot.nodesWithPodsWithRequiredAntiAffinity()) {
            for (PodInfo placed : node.podsWithRequiredAntiAffinity()) {
                existing.addAntiAffinityTerms(placed.requiredAntiAffinityTerms(), pod, namespaceLabels, node);
            }
        }
        TopologyCounts affinityCounts = new TopologyCounts();
        TopologyCounts antiAffinityCounts = new TopologyCounts();
        if (!affinity.isEmpty() || !antiAffinity.isEmpty()) {
            for (NodeInfo node : snapshot.nodes()) {
                for (PodInfo placed : node.pods()) {
                    affinityCounts.addAffinityTerms(affinity, placed, node);
                    // The incoming pod's namespace selectors are resolved: no namespace labels needed.
                    antiAffinityCounts.addAntiAffinityTerms(antiAffinity, placed, Map.of(), node);
                }
            }
        }
        if (existing.isEmpty() && affinity.isEmpty() && antiAffinity.isEmpty()) {
            return PreFilterResult.SKIP;
        }
        state.write(FILTER_STATE, new FilterState(affinity, antiAffinity, pod, existing, affinityCounts,
                antiAffinityCounts));
        return PreFilterResult.ALL_NODES;
    }

    private static List<AffinityTerm> resolve(List<AffinityTerm> terms, ClusterSnapshot snapshot) {
        return terms.stream().map(t -> t.withNamespaceSelectorResolved(snapshot)).toList();
    }

    static boolean podMatchesAllAffinityTerms(List<AffinityTerm> terms, PodInfo pod) {
        if (terms.isEmpty()) {
            return false;
        }
        for (AffinityTerm term : terms) {
            if (!term.matches(pod, Map.of())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        FilterState s = state.read(FILTER_STATE);
        if (!satisfiesPodAffinity(s, node)) {
            return Status.unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
        }
        if (!satisfiesPodAntiAffinity(s, node)) {
            return Status.unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
        }
        if (!satisfiesExistingPodsAntiAffinity(s, node)) {
            return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
        }
        return Status.SUCCESS;
    }

    private static boolean satisfiesPodAffinity(FilterState s, NodeInfo node) {
        boolean podsExist = true;
        for (AffinityTerm term : s.requiredAffinity()) {
            String value = node.labels().get(term.topologyKey());
            if (value == null) {
                // Every topology label must be on the node.
                return false;
            }
            if (s.affinityCounts().get(new TopologyPair(term.topologyKey(), value)) <= 0) {
                podsExist = false;
            }
        }
        if (podsExist) {
            return true;
        }
        // The first pod of a group that has affinity to itself: no matching pod anywhere yet, so it may go
        // wherever the topology labels are, provided it matches its own terms.
        return s.affinityCounts().isEmpty() && podMatchesAllAffinityTerms(s.requiredAffinity(), s.pod());
    }

    private static boolean satisfiesPodAntiAffinity(FilterState s, NodeInfo node) {
        if (s.antiAffinityCounts().isEmpty()) {
            return true;
        }
        for (AffinityTerm term : s.requiredAntiAffinity()) {
            String value = node.labels().get(term.topologyKey());
            if (value != null && s.antiAffinityCounts().get(new TopologyPair(term.topologyKey(), value)) > 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean satisfiesExistingPodsAntiAffinity(FilterState s, NodeInfo node) {
        if (s.existingAntiAffinityCounts().isEmpty()) {
            return true;
        }
        for (Map.Entry<String, String> label : node.labels().entrySet()) {
            if (s.existingAntiAffinityCounts().get(new TopologyPair(label.getKey(), label.getValue())) > 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterSnapshot snapshot) {
        if (feasibleNodes.isEmpty()) {
            return Status.SKIP;
        }
        boolean hasConstraints = !pod.preferredAffinityTerms().isEmpty()
                || !pod.preferredAntiAffinityTerms().isEmpty();
        if (ignorePreferredTermsOfExistingPods && !hasConstraints) {
            return Status.SKIP;
        }
        List<WeightedAffinityTerm> affinity = resolveWeighted(pod.preferredAffinityTerms(), snapshot);
        List<WeightedAffinityTerm> antiAffinity = resolveWeighted(pod.preferredAntiAffinityTerms(), snapshot);
        Map<String, String> namespaceLabels = snapshot.namespaceLabels(pod.namespace());
        Map<String, Map<String, Long>> topologyScore = new HashMap<>();
        // Unless the pod has preferences of its own, only placed pods with affinity can change a score.
        List<NodeInfo> nodes = hasConstraints ? snapshot.nodes() : snapshot.nodesWithPodsWithAffinity();
        for (NodeInfo node : nodes) {
            if (node.labels().isEmpty()) {
                continue;
            }
            for (PodInfo placed : hasConstraints ? node.pods() : node.podsWithAffinity()) {
                addTerms(topologyScore, affinity, placed, Map.of(), node, 1);
                addTerms(topologyScore, antiAffinity, placed, Map.of(), node, -1);
                if (hardPodAffinityWeight > 0) {
                    for (AffinityTerm term : placed.requiredAffinityTerms()) {
                        addTerm(topologyScore, term, hardPodAffinityWeight, pod, namespaceLabels, node, 1);
                    }
                }
                addTerms(topologyScore, placed.preferredAffinityTerms(), pod, namespaceLabels, node, 1);
                addTerms(topologyScore, placed.preferredAntiAffinityTerms(), pod, namespaceLabels, node, -1);
            }
        }
        if (topologyScore.isEmpty()) {
            return Status.SKIP;
        }
        state.write(SCORE_STATE, topologyScore);
        return Status.SUCCESS;
    }

    private static List<WeightedAffinityTerm> resolveWeighted(List<WeightedAffinityTerm> terms,
                                                              ClusterSnapshot snapshot) {
        return terms.stream().map(t -> new WeightedAffinityTerm(t.term().withNamespaceSelectorResolved(snapshot),
                t.weight())).toList();
    }

    private static void addTerms(Map<String, Map<String, Long>> scores, List<WeightedAffinityTerm> terms,
                                 PodInfo pod, Map<String, String> namespaceLabels, NodeInfo node, int multiplier) {
        for (WeightedAffinityTerm weighted : terms) {
            addTerm(scores, weighted.term(), weighted.weight(), pod, namespaceLabels, node, multiplier);
        }
    }

    /** If {@code pod} matches the term, the domain of {@code node} gains (or loses) the weight. */
    private static void addTerm(Map<String, Map<String, Long>> scores, AffinityTerm term, int weight, PodInfo pod,
                                Map<String, String> namespaceLabels, NodeInfo node, int multiplier) {
        if (term.matches(pod, namespaceLabels)) {
            String value = node.labels().get(term.topologyKey());
            if (value != null) {
                scores.computeIfAbsent(term.topologyKey(), k -> new HashMap<>())
                        .merge(value, (long) weight * multiplier, Long::sum);
            }
        }
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        long score = 0;
        for (Map.Entry<String, Map<String, Long>> topology : state.read(SCORE_STATE).entrySet()) {
            String value = node.labels().get(topology.getKey());
            if (value != null) {
                score += topology.getValue().getOrDefault(value, 0L);
            }
        }
        return score;
    }

    /** Min-max scaling to 0..100; all equal gives 0 everywhere. */
    @Override
    public void normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long score : scores) {
            min = Math.min(min, score);
            max = Math.max(max, score);
        }
        long difference = max - min;
        for (int i = 0; i < scores.length; i++) {
            double scaled = difference > 0 ? (double) MAX_NODE_SCORE * ((double) (scores[i] - min) / difference) : 0;
            scores[i] = (long) scaled;
        }
    }
}
