package dev.kumo.controllers.scheduler.helper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's hard node constraints ({@code nodeaffinity.GetRequiredNodeAffinity}): its {@code nodeSelector} (every
 * label must be there with that value) and its required node affinity terms (at least one must match). Parse errors
 * make a term match nothing, for backwards compatibility as in Kubernetes.
 */
public final class RequiredNodeAffinity {
    private final Map<String, String> nodeSelector;
    /** Null when the pod has no required node affinity; empty when it has one with no usable term. */
    private final List<NodeSelectorTerm> terms;

    private RequiredNodeAffinity(Map<String, String> nodeSelector, List<NodeSelectorTerm> terms) {
        this.nodeSelector = nodeSelector;
        this.terms = terms;
    }

    public static RequiredNodeAffinity of(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        Map<String, String> selector = new java.util.LinkedHashMap<>();
        spec.path("nodeSelector").properties().forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
        JsonNode required = spec.path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution");
        List<NodeSelectorTerm> terms = null;
        if (required.isObject()) {
            terms = new ArrayList<>();
            int i = 0;
            for (JsonNode term : required.path("nodeSelectorTerms")) {
                String path = "nodeSelectorTerms[" + i++ + "]";
                if (!NodeSelectorTerm.isEmpty(term)) {
                    terms.add(NodeSelectorTerm.parse(term, path));
                }
            }
        }
        return new RequiredNodeAffinity(Map.copyOf(selector), terms == null ? null : List.copyOf(terms));
    }

    public boolean hasConstraints() {
        return !nodeSelector.isEmpty() || terms != null;
    }

    public boolean matches(String nodeName, Map<String, String> nodeLabels) {
        for (Map.Entry<String, String> required : nodeSelector.entrySet()) {
            if (!required.getValue().equals(nodeLabels.get(required.getKey()))) {
                return false;
            }
        }
        if (terms == null) {
            return true;
        }
        for (NodeSelectorTerm term : terms) {
            if (term.matches(nodeName, nodeLabels)) {
                return true;
            }
        }
        return false;
    }
}
