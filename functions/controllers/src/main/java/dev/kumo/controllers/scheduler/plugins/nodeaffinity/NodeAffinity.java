package dev.kumo.controllers.scheduler.plugins.nodeaffinity;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.kumo.controllers.scheduler.helper.NodeSelectorTerm;
import dev.kumo.controllers.scheduler.helper.RequiredNodeAffinity;
import dev.kumo.controllers.scheduler.helper.ScoreNormalizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code nodeSelector} and node affinity: the required part filters (and, when every term names nodes by
 * {@code metadata.name}, narrows the search to those nodes), the preferred part scores by the summed weights of the
 * terms a node matches.
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    public static final String NAME = "NodeAffinity";
    public static final String ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
    public static final String ERR_REASON_CONFLICT = "pod affinity terms conflict";

    private static final CycleState.Key<RequiredNodeAffinity> REQUIRED = new CycleState.Key<>("PreFilter" + NAME);
    private static final CycleState.Key<List<Preferred>> PREFERRED = new CycleState.Key<>("PreScore" + NAME);

    private record Preferred(NodeSelectorTerm term, int weight) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot) {
        RequiredNodeAffinity required = RequiredNodeAffinity.of(pod.pod());
        if (!required.hasConstraints()) {
            return PreFilterResult.SKIP;
        }
        state.write(REQUIRED, required);
        JsonNode terms = pod.pod().path("spec").path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
        if (terms.isEmpty()) {
            return PreFilterResult.ALL_NODES;
        }
        // Terms are ORed: only when every term names its nodes can the search be narrowed to them.
        Set<String> nodeNames = new TreeSet<>();
        for (JsonNode term : terms) {
            Set<String> termNodes = NodeSelectorTerm.nodeNames(term);
            if (termNodes == null) {
                return PreFilterResult.ALL_NODES;
            }
            nodeNames.addAll(termNodes);
        }
        if (nodeNames.isEmpty()) {
            return PreFilterResult.of(Status.unresolvable(ERR_REASON_CONFLICT));
        }
        return PreFilterResult.only(nodeNames);
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        // PreFilter wrote it: a pod without constraints is skipped there, and Filter does not run for it.
        RequiredNodeAffinity required = state.read(REQUIRED);
        return required.matches(node.name(), node.labels()) ? Status.SUCCESS : Status.unresolvable(ERR_REASON_POD);
    }

    /** Parses the preferred terms; terms of weight 0 or without requirements count for nothing and are dropped. */
    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterSnapshot snapshot) {
        JsonNode preferred = pod.pod().path("spec").path("affinity").path("nodeAffinity")
                .path("preferredDuringSchedulingIgnoredDuringExecution");
        if (!preferred.isArray()) {
            return Status.SKIP;
        }
        List<Preferred> terms = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int i = 0;
        for (JsonNode weighted : preferred) {
            JsonNode preference = weighted.path("preference");
            int weight = weighted.path("weight").asInt(0);
            String path = "[" + i++ + "]";
            if (weight == 0 || NodeSelectorTerm.isEmpty(preference)) {
                continue;
            }
            NodeSelectorTerm term = NodeSelectorTerm.parse(preference, path);
            if (term.errors().isEmpty()) {
                terms.add(new Preferred(term, weight));
            } else {
                errors.addAll(term.errors());
            }
        }
        if (!errors.isEmpty()) {
            return Status.error(errors.size() == 1 ? errors.get(0) : errors.toString());
        }
        state.write(PREFERRED, List.copyOf(terms));
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        long score = 0;
        for (Preferred preferred : state.read(PREFERRED)) {
            if (preferred.term().matches(node.name(), node.labels())) {
                score += preferred.weight();
            }
        }
        return score;
    }

    @Override
    public void normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScoreNormalizer.defaultNormalize(MAX_NODE_SCORE, false, scores);
    }
}
