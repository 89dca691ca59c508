package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apimachinery.selection.SelectorException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Role (namespace set) or ClusterRole (namespace empty), reduced to what authorization needs: its rules, its
 * labels (which aggregation selects on) and, for an aggregated ClusterRole, its {@code clusterRoleSelectors}.
 *
 * @param aggregationSelectors empty unless the role has an {@code aggregationRule}
 */
public record Role(String namespace, String name, Map<String, String> labels, List<PolicyRule> rules,
                   List<LabelSelector> aggregationSelectors) {
    public Role {
        labels = Map.copyOf(labels);
        rules = List.copyOf(rules);
        aggregationSelectors = List.copyOf(aggregationSelectors);
    }

    public static Role fromJson(JsonNode role) {
        List<LabelSelector> selectors = new ArrayList<>();
        role.path("aggregationRule").path("clusterRoleSelectors")
                .forEach(selector -> selectors.add(aggregationSelector(selector)));
        return new Role(Meta.namespace(role), Meta.name(role), Labels.of(role),
                PolicyRule.listFromJson(role.path("rules")), selectors);
    }

    /** A stored role was validated on write; one that still does not parse aggregates nothing. */
    private static LabelSelector aggregationSelector(JsonNode selector) {
        try {
            return LabelSelector.fromJson(selector);
        } catch (SelectorException e) {
            return LabelSelector.NOTHING;
        }
    }

    public boolean aggregated() {
        return !aggregationSelectors.isEmpty();
    }

    /** Whether a stored ClusterRole has an {@code aggregationRule} with selectors, without reading the rest of it. */
    public static boolean hasAggregationRule(JsonNode role) {
        return !role.path("aggregationRule").path("clusterRoleSelectors").isEmpty();
    }
}
