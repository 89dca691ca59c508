package dev.kumo.controllers.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.controllers.scheduler.helper.InvalidSelectorException;
import dev.kumo.controllers.scheduler.helper.LabelSelectors;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code PodAffinityTerm}: the pods it selects (label selector, in the listed namespaces or the namespaces
 * the namespace selector picks) and the topology key that defines "together".
 */
public record AffinityTerm(Set<String> namespaces, LabelSelector selector, String topologyKey,
                           LabelSelector namespaceSelector) {

    public AffinityTerm {
        namespaces = Set.copyOf(namespaces);
    }

    /**
     * {@code newAffinityTerm}: no namespaces and no namespace selector mean the owning pod's namespace; an absent
     * namespace selector selects no namespace, an empty one every namespace.
     */
    public static AffinityTerm of(String podNamespace, JsonNode term) throws InvalidSelectorException {
        LabelSelector selector = LabelSelectors.fromJson(term.get("labelSelector"));
        Set<String> namespaces = new HashSet<>();
        term.path("namespaces").forEach(n -> namespaces.add(n.asText()));
        JsonNode namespaceSelector = term.get("namespaceSelector");
        boolean noSelector = namespaceSelector == null || namespaceSelector.isNull();
        if (namespaces.isEmpty() && noSelector) {
            namespaces.add(podNamespace);
        }
        return new AffinityTerm(namespaces, selector, term.path("topologyKey").asText(""),
                LabelSelectors.fromJson(namespaceSelector));
    }

    /** Whether {@code pod} is one this term selects; {@code namespaceLabels} are the labels of the pod's namespace. */
    public boolean matches(PodInfo pod, Map<String, String> namespaceLabels) {
        if (namespaces.contains(pod.namespace()) || namespaceSelector.matches(namespaceLabels)) {
            return selector.matches(pod.labels());
        }
        return false;
    }

    /**
     * The term with its namespace selector replaced by the namespaces it picks ({@code
     * mergeAffinityTermNamespacesIfNotEmpty}), so that matching needs no namespace labels. An everything selector
     * is kept as it is.
     */
    public AffinityTerm withNamespaceSelectorResolved(ClusterSnapshot snapshot) {
        if (namespaceSelector.isEverything()) {
            return this;
        }
        Set<String> merged = new HashSet<>(namespaces);
        merged.addAll(snapshot.namespacesMatching(namespaceSelector));
        return new AffinityTerm(merged, selector, topologyKey, LabelSelector.NOTHING);
    }
}
