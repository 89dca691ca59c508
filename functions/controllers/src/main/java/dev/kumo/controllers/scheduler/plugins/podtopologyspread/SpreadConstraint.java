package dev.kumo.controllers.scheduler.plugins.podtopologyspread;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.Taint;
import dev.kumo.controllers.scheduler.framework.Toleration;
import dev.kumo.controllers.scheduler.helper.InvalidSelectorException;
import dev.kumo.controllers.scheduler.helper.LabelSelectors;
import dev.kumo.controllers.scheduler.helper.RequiredNodeAffinity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One topology spread constraint as the plugin uses it: {@code minDomains} defaults to 1, {@code nodeAffinityPolicy}
 * to Honor and {@code nodeTaintsPolicy} to Ignore; {@code matchLabelKeys} are folded into the selector with the pod's
 * own values.
 */
record SpreadConstraint(int maxSkew, String topologyKey, LabelSelector selector, int minDomains,
                        boolean honorNodeAffinity, boolean honorNodeTaints) {

    static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

    SpreadConstraint withSelector(LabelSelector replacement) {
        return new SpreadConstraint(maxSkew, topologyKey, replacement, minDomains, honorNodeAffinity, honorNodeTaints);
    }

    /** The constraints of {@code whenUnsatisfiable} among {@code constraints} ({@code filterTopologySpreadConstraints}). */
    static List<SpreadConstraint> select(JsonNode constraints, Map<String, String> podLabels, String whenUnsatisfiable)
            throws InvalidSelectorException {
        List<SpreadConstraint> result = new ArrayList<>();
        for (JsonNode c : constraints) {
            if (!whenUnsatisfiable.equals(c.path("whenUnsatisfiable").asText(""))) {
                continue;
            }
            LabelSelector selector = LabelSelectors.fromJson(c.get("labelSelector"));
            Map<String, String> matchLabels = new LinkedHashMap<>();
            for (JsonNode key : c.path("matchLabelKeys")) {
                String value = podLabels.get(key.asText());
                if (value != null) {
                    matchLabels.put(key.asText(), value);
                }
            }
            if (!matchLabels.isEmpty()) {
                selector = LabelSelectors.withLabels(selector, matchLabels);
            }
            result.add(new SpreadConstraint(c.path("maxSkew").asInt(0), c.path("topologyKey").asText(""), selector,
                    c.path("minDomains").isNumber() ? c.path("minDomains").asInt() : 1,
                    !"Ignore".equals(c.path("nodeAffinityPolicy").asText("Honor")),
                    "Honor".equals(c.path("nodeTaintsPolicy").asText("Ignore"))));
        }
        return result;
    }

    /** Whether the node counts as a domain of this constraint for the pod ({@code matchNodeInclusionPolicies}). */
    boolean includes(PodInfo pod, NodeInfo node, RequiredNodeAffinity required) {
        if (honorNodeAffinity && !required.matches(node.name(), node.labels())) {
            return false;
        }
        return !honorNodeTaints
                || Toleration.findUntolerated(node.taints(), pod.tolerations(), Taint::preventsScheduling).isEmpty();
    }

    /** The pods of {@code namespace} on the node the selector picks, terminating ones left out. */
    int countMatching(NodeInfo node, String namespace) {
        if (selector.isEverything()) {
            return 0;
        }
        int count = 0;
        for (PodInfo placed : node.pods()) {
            if (!placed.isTerminating() && placed.namespace().equals(namespace) && selector.matches(placed.labels())) {
                count++;
            }
        }
        return count;
    }

    /** Every constraint's topology key is a label of the node. */
    static boolean nodeHasAllKeys(Map<String, String> nodeLabels, List<SpreadConstraint> constraints) {
        for (SpreadConstraint constraint : constraints) {
            if (!nodeLabels.containsKey(constraint.topologyKey())) {
                return false;
            }
        }
        return true;
    }
}
