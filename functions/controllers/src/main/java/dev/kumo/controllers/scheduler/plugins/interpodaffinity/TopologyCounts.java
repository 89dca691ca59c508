package dev.kumo.controllers.scheduler.plugins.interpodaffinity;

import dev.kumo.controllers.scheduler.framework.AffinityTerm;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How many matching terms each topology domain holds ({@code topologyToMatchedTermCount}). */
final class TopologyCounts {
    private final Map<TopologyPair, Long> counts = new HashMap<>();

    boolean isEmpty() {
        return counts.isEmpty();
    }

    long get(TopologyPair pair) {
        return counts.getOrDefault(pair, 0L);
    }

    /** Counts one more in the node's domain of {@code topologyKey}; a node without that label is in no domain. */
    void add(NodeInfo node, String topologyKey) {
        String topologyValue = node.labels().get(topologyKey);
        if (topologyValue != null) {
            counts.merge(new TopologyPair(topologyKey, topologyValue), 1L, Long::sum);
        }
    }

    /** Counts every term once if {@code pod} matches all of them (affinity: all terms must hold together). */
    void addAffinityTerms(List<AffinityTerm> terms, PodInfo pod, NodeInfo node) {
        if (InterPodAffinity.podMatchesAllAffinityTerms(terms, pod)) {
            for (AffinityTerm term : terms) {
                add(node, term.topologyKey());
            }
        }
    }

    /** Counts each term {@code pod} matches (anti-affinity: any one term repels). */
    void addAntiAffinityTerms(List<AffinityTerm> terms, PodInfo pod, Map<String, String> namespaceLabels,
                              NodeInfo node) {
        for (AffinityTerm term : terms) {
            if (term.matches(pod, namespaceLabels)) {
                add(node, term.topologyKey());
            }
        }
    }
}
