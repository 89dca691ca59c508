package dev.kumo.apiserver.admission.limitranger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apiserver.admission.AdmissionDenied;
import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.admission.AdmissionRequest;
import dev.kumo.apiserver.admission.NamespacedObjects;
import dev.kumo.apiserver.registry.WriteListener;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.strategy.Json;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kubernetes' LimitRanger admission for pods on create: the Container items of the namespace's LimitRanges fill in
 * missing requests ({@code defaultRequest}) and limits ({@code default}) and say so in the
 * {@code kubernetes.io/limit-ranger} annotation; then min, max and maxLimitRequestRatio of Container items hold for
 * each container and init container, and those of Pod items for the pod's total, or the pod is refused with
 * Kubernetes' message (e.g. {@code maximum cpu usage per Container is 500m, but limit is 1}).
 */
public final class LimitRanger implements AdmissionPlugin, WriteListener {
    static final String ANNOTATION = "kubernetes.io/limit-ranger";

    private final NamespacedObjects limitRanges;

    public LimitRanger(NamespacedObjects limitRanges) {
        this.limitRanges = limitRanges;
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (!applies(request)) {
            return;
        }
        for (StoredObject limitRange : limitRanges.list(request.namespace())) {
            applyDefaults(limitRange.value(), request.object());
        }
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (!applies(request)) {
            return;
        }
        for (StoredObject limitRange : limitRanges.list(request.namespace())) {
            List<String> violations = LimitConstraints.violations(limitRange.value(), request.object().path("spec"));
            if (!violations.isEmpty()) {
                throw AdmissionDenied.of(request, aggregate(violations));
            }
        }
    }

    /**
     * Pods on create only: containers cannot change later, and Kubernetes skips subresources and objects being
     * deleted.
     */
    private static boolean applies(AdmissionRequest request) {
        return request.is("", "pods") && request.subresource().isEmpty()
                && request.operation() == AdmissionRequest.Operation.CREATE && request.object() != null;
    }

    /** Kubernetes' {@code PodMutateLimitFunc}. */
    static void applyDefaults(JsonNode limitRange, ObjectNode pod) {
        ObjectNode defaultLimits = JsonNodeFactory.instance.objectNode();
        ObjectNode defaultRequests = JsonNodeFactory.instance.objectNode();
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            if ("Container".equals(item.path("type").asText())) {
                item.path("defaultRequest").fields().forEachRemaining(e -> defaultRequests.set(e.getKey(), e.getValue()));
                item.path("default").fields().forEachRemaining(e -> defaultLimits.set(e.getKey(), e.getValue()));
            }
        }
        List<String> notes = new ArrayList<>();
        ObjectNode spec = Json.object(pod, "spec");
        for (ObjectNode container : Json.objects(spec, "containers")) {
            merge(container, defaultRequests, defaultLimits, "container", notes);
        }
        for (ObjectNode container : Json.objects(spec, "initContainers")) {
            merge(container, defaultRequests, defaultLimits, "init container", notes);
        }
        if (!notes.isEmpty()) {
            Json.object(Json.object(pod, "metadata"), "annotations")
                    .put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", notes));
        }
    }

    private static void merge(ObjectNode container, ObjectNode defaultRequests, ObjectNode defaultLimits,
                              String prefix, List<String> notes) {
        Set<String> setRequests = fill(container, "requests", defaultRequests);
        Set<String> setLimits = fill(container, "limits", defaultLimits);
        String name = container.path("name").asText("");
        if (!setRequests.isEmpty()) {
            notes.add(String.join(", ", setRequests) + " request for " + prefix + " " + name);
        }
        if (!setLimits.isEmpty()) {
            notes.add(String.join(", ", setLimits) + " limit for " + prefix + " " + name);
        }
    }

    private static Set<String> fill(ObjectNode container, String kind, ObjectNode defaults) {
        Set<String> set = new TreeSet<>();
        if (defaults.isEmpty()) {
            return set;
        }
        ObjectNode resources = Json.object(container, "resources");
        ObjectNode list = Json.object(resources, kind);
        defaults.fields().forEachRemaining(entry -> {
            if (!list.has(entry.getKey())) {
                list.set(entry.getKey(), entry.getValue().deepCopy());
                set.add(entry.getKey());
            }
        });
        return set;
    }

    /** Kubernetes' error aggregate: one message as is, several (without repeats) as {@code [a, b]}. */
    static String aggregate(List<String> messages) {
        Set<String> distinct = new LinkedHashSet<>(messages);
        return distinct.size() == 1 ? distinct.iterator().next() : "[" + String.join(", ", distinct) + "]";
    }

    @Override
    public void created(ResourceDefinition def, ObjectNode object) {
        limitRanges.created(def, object);
    }

    @Override
    public void updated(ResourceDefinition def, ObjectNode object, ObjectNode old) {
        limitRanges.updated(def, object, old);
    }

    @Override
    public void deleted(ResourceDefinition def, ObjectNode object) {
        limitRanges.deleted(def, object);
    }
}
