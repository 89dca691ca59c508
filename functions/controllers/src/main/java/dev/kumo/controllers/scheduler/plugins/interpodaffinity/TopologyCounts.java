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

    /** Counts the node's domain of {@code topologyKey}; a node without that label belongs to no domain. */
    void update(NodeInfo node, String topologyKey, long value) {
        String topologyValue = node.labels().get(topologyKey);
        if (topologyValue != null) {
            TopologyPair pair = new TopologyPair(topologyKey, topologyValue);
            long updated = counts.getOrDefault(pair, 0L) + value;
            if (updated == 0) {
                counts.remove(pair);
            } else {
                counts.put(pair, updated);
            }
        }
    }

    /** Counts every term once if {@code pod} matches all of them (affinity: all terms must hold together). */
    void updateWithAffinityTerms(List<AffinityTerm> terms, PodInfo pod, NodeInfo node, long value) {
        if (InterPodAffinity.podMatchesAllAffinityTerms(terms, pod)) {
            for (AffinityTerm term : terms) {
                update(node, term.topologyKey(), value);
            }
        }
    }

    /** Counts each term {@code pod} matches (anti-affinity: any one term repels). */
    void updateWithAntiAffinityTerms(List<AffinityTerm> terms, PodInfo pod, Map<String, String> namespaceLabels,
                                     NodeInfo node, long value) {
        for (AffinityTerm term : terms) {
            if (term.matches(pod, namespaceLabels)) {
                update(node, term.topologyKey(), value);
            }
        }
    }
}
