package dev.kumo.controllers.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.meta.Meta;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services and controllers whose selectors define a pod's default spreading (what kube-scheduler's
 * {@code helper.DefaultSelector} reads through its listers): services by namespace, and ReplicationControllers,
 * ReplicaSets and StatefulSets by namespace and name.
 */
public final class Workloads {
    public static final Workloads NONE = new Workloads(Map.of(), Map.of(), Map.of(), Map.of());

    private final Map<String, List<Map<String, String>>> serviceSelectors;
    private final Map<String, Map<String, String>> replicationControllerSelectors;
    private final Map<String, JsonNode> replicaSetSelectors;
    private final Map<String, JsonNode> statefulSetSelectors;

    private Workloads(Map<String, List<Map<String, String>>> serviceSelectors,
                      Map<String, Map<String, String>> replicationControllerSelectors,
                      Map<String, JsonNode> replicaSetSelectors, Map<String, JsonNode> statefulSetSelectors) {
        this.serviceSelectors = serviceSelectors;
        this.replicationControllerSelectors = replicationControllerSelectors;
        this.replicaSetSelectors = replicaSetSelectors;
        this.statefulSetSelectors = statefulSetSelectors;
    }

    /** From lists of Service, ReplicationController, ReplicaSet and StatefulSet objects (any may be empty). */
    public static Workloads of(List<? extends JsonNode> services, List<? extends JsonNode> replicationControllers,
                               List<? extends JsonNode> replicaSets, List<? extends JsonNode> statefulSets) {
        Map<String, List<Map<String, String>>> bySelector = new HashMap<>();
        for (JsonNode service : services) {
            JsonNode selector = service.path("spec").path("selector");
            // A service without a selector selects no pods (GetPodServices skips it).
            if (selector.isObject()) {
                bySelector.computeIfAbsent(Meta.namespace(service), ns -> new ArrayList<>()).add(map(selector));
            }
        }
        Map<String, Map<String, String>> controllers = new HashMap<>();
        for (JsonNode controller : replicationControllers) {
            controllers.put(key(controller), map(controller.path("spec").path("selector")));
        }
        return new Workloads(bySelector, controllers, selectors(replicaSets), selectors(statefulSets));
    }

    private static Map<String, JsonNode> selectors(List<? extends JsonNode> objects) {
        Map<String, JsonNode> result = new HashMap<>();
        for (JsonNode object : objects) {
            result.put(key(object), object.path("spec").path("selector"));
        }
        return result;
    }

    private static Map<String, String> map(JsonNode selector) {
        Map<String, String> result = new LinkedHashMap<>();
        selector.properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
        return Map.copyOf(result);
    }

    private static String key(JsonNode object) {
        return Meta.namespace(object) + "/" + Meta.name(object);
    }

    /** The selectors ({@code spec.selector} maps) of the services in {@code namespace}. */
    public List<Map<String, String>> serviceSelectors(String namespace) {
        return serviceSelectors.getOrDefault(namespace, List.of());
    }

    /** A ReplicationController's {@code spec.selector}, or null when there is no such controller. */
    public Map<String, String> replicationControllerSelector(String namespace, String name) {
        return replicationControllerSelectors.get(namespace + "/" + name);
    }

    /** A ReplicaSet's {@code spec.selector} (a metav1.LabelSelector), or null when there is none. */
    public JsonNode replicaSetSelector(String namespace, String name) {
        return replicaSetSelectors.get(namespace + "/" + name);
    }

    public JsonNode statefulSetSelector(String namespace, String name) {
        return statefulSetSelectors.get(namespace + "/" + name);
    }
}
