package dev.kumo.controllers.scheduler.plugins.podtopologyspread;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.Workloads;
import dev.kumo.controllers.scheduler.helper.InvalidSelectorException;
import dev.kumo.controllers.scheduler.helper.LabelSelectors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The selector default spreading counts a pod's peers by ({@code helper.DefaultSelector}): the selectors of the
 * services that select the pod, merged with the selector of the ReplicationController, ReplicaSet or StatefulSet
 * that controls it.
 */
final class DefaultSelector {
    private DefaultSelector() {
    }

    static LabelSelector of(PodInfo pod, Workloads workloads) {
        Map<String, String> labelSet = new LinkedHashMap<>();
        for (Map<String, String> service : workloads.serviceSelectors(pod.namespace())) {
            if (LabelSelectors.ofSet(service).matches(pod.labels())) {
                labelSet.putAll(service);
            }
        }
        LabelSelector selector = LabelSelectors.ofSet(labelSet);
        JsonNode owner = controllerOf(pod.pod());
        if (owner == null) {
            return selector;
        }
        String apiVersion = owner.path("apiVersion").asText("");
        String kind = owner.path("kind").asText("");
        String name = owner.path("name").asText("");
        if (apiVersion.equals("v1") && kind.equals("ReplicationController")) {
            Map<String, String> controller = workloads.replicationControllerSelector(pod.namespace(), name);
            if (controller != null) {
                labelSet.putAll(controller);
                selector = LabelSelectors.ofSet(labelSet);
            }
        } else if (apiVersion.equals("apps/v1") && kind.equals("ReplicaSet")) {
            selector = withRequirements(selector, workloads.replicaSetSelector(pod.namespace(), name));
        } else if (apiVersion.equals("apps/v1") && kind.equals("StatefulSet")) {
            selector = withRequirements(selector, workloads.statefulSetSelector(pod.namespace(), name));
        }
        return selector;
    }

    /** Adds the requirements of a workload's label selector; an absent or unreadable one adds nothing. */
    private static LabelSelector withRequirements(LabelSelector selector, JsonNode workloadSelector) {
        if (workloadSelector == null || !workloadSelector.isObject()) {
            return selector;
        }
        try {
            List<LabelSelector.Requirement> requirements = new ArrayList<>(selector.requirements());
            requirements.addAll(LabelSelectors.fromJson(workloadSelector).requirements());
            return new LabelSelector(requirements);
        } catch (InvalidSelectorException e) {
            return selector;
        }
    }

    private static JsonNode controllerOf(JsonNode pod) {
        for (JsonNode reference : pod.path("metadata").path("ownerReferences")) {
            if (reference.path("controller").asBoolean(false)) {
                return reference;
            }
        }
        return null;
    }
}
