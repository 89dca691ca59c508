package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.errors.FieldError;
import dev.kumo.apiserver.registry.DeleteOptions;
import dev.kumo.apiserver.registry.GracefulDeletion;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pods: the defaults kubectl users rely on, the basic validation, and graceful deletion once bound to a node. */
public final class PodStrategy implements Strategy, GracefulDeletion {

    /**
     * Kubernetes' pod defaults: those of any pod template, requests taken from limits where only a limit is set
     * ({@code SetDefaults_Pod}), and {@code serviceAccountName} from the deprecated {@code serviceAccount}.
     */
    @Override
    public void applyDefaults(ObjectNode pod) {
        ObjectNode spec = Json.object(pod, "spec");
        if (spec.path("serviceAccountName").asText("").isEmpty() && !spec.path("serviceAccount").asText("").isEmpty()) {
            spec.put("serviceAccountName", spec.path("serviceAccount").asText());
        }
        PodTemplateDefaults.apply(spec);
        for (String list : List.of("initContainers", "containers")) {
            for (ObjectNode container : Json.objects(spec, list)) {
                if (container.path("resources").path("limits") instanceof ObjectNode limits && !limits.isEmpty()) {
                    ObjectNode requests = Json.object((ObjectNode) container.get("resources"), "requests");
                    limits.fields().forEachRemaining(limit -> {
                        if (!requests.has(limit.getKey())) {
                            requests.set(limit.getKey(), limit.getValue().deepCopy());
                        }
                    });
                }
            }
        }
    }

    /** Runs after mutating admission, so the QoS class reflects the resources a LimitRange filled in. */
    @Override
    public void prepareForCreate(ObjectNode pod) {
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", QualityOfService.of(pod.path("spec")));
        mirrorServiceAccount(Json.object(pod, "spec"));
    }

    @Override
    public void prepareForUpdate(ObjectNode pod, ObjectNode old) {
        mirrorServiceAccount(Json.object(pod, "spec"));
    }

    /** The v1 form carries the service account twice: the deprecated field always equals the current one. */
    private static void mirrorServiceAccount(ObjectNode spec) {
        if (!spec.path("serviceAccountName").asText("").isEmpty()) {
            spec.put("serviceAccount", spec.path("serviceAccountName").asText());
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode pod) {
        return PodTemplateDefaults.validate(pod.path("spec"), "spec");
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode pod, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(pod));
        // Kubernetes allows only a few pod spec fields to change; kumo checks the ones clients trip over.
        String oldNode = old.path("spec").path("nodeName").asText("");
        if (!oldNode.isEmpty() && !oldNode.equals(pod.path("spec").path("nodeName").asText(""))) {
            errors.add(FieldError.forbidden("spec.nodeName", "pod updates may not change fields other than "
                    + "spec.containers[*].image, spec.initContainers[*].image, spec.activeDeadlineSeconds, "
                    + "spec.tolerations (only additions to existing tolerations) or "
                    + "spec.terminationGracePeriodSeconds"));
        }
        List<String> oldImages = images(old.path("spec"));
        ObjectNode withoutImages = stripImages(pod.path("spec"));
        if (oldImages.size() == images(pod.path("spec")).size()
                && !withoutImages.without("nodeName").equals(stripImages(old.path("spec")).without("nodeName"))
                && !oldNode.isEmpty()) {
            errors.add(FieldError.forbidden("spec", "pod updates may not change fields other than "
                    + "spec.containers[*].image, spec.initContainers[*].image, spec.activeDeadlineSeconds, "
                    + "spec.tolerations (only additions to existing tolerations) or "
                    + "spec.terminationGracePeriodSeconds"));
        }
        return errors;
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode pod) {
        return Map.of("spec.nodeName", pod.path("spec").path("nodeName").asText(""),
                "spec.restartPolicy", pod.path("spec").path("restartPolicy").asText(""),
                "spec.schedulerName", pod.path("spec").path("schedulerName").asText(""),
                "spec.serviceAccountName", pod.path("spec").path("serviceAccountName").asText(""),
                "status.phase", pod.path("status").path("phase").asText(""),
                "status.podIP", pod.path("status").path("podIP").asText(""),
                "status.nominatedNodeName", pod.path("status").path("nominatedNodeName").asText(""));
    }

    @Override
    public boolean needsGracefulDeletion(ObjectNode pod, DeleteOptions options) {
        // An unscheduled pod has no kubelet to stop it; a pod on a node is stopped by its node agent first.
        return !pod.path("spec").path("nodeName").asText("").isEmpty()
                && gracePeriodSeconds(pod, options) > 0
                && !isTerminal(pod);
    }

    @Override
    public long gracePeriodSeconds(ObjectNode pod, DeleteOptions options) {
        if (options.gracePeriodSeconds() != null) {
            return options.gracePeriodSeconds();
        }
        return pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }

    /** Whether the pod has finished (Succeeded or Failed): it holds no resources and counts against no quota. */
    public static boolean isTerminal(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    private static List<String> images(JsonNode spec) {
        List<String> images = new ArrayList<>();
        for (String list : List.of("initContainers", "containers")) {
            spec.path(list).forEach(c -> images.add(c.path("image").asText("")));
        }
        return images;
    }

    private static ObjectNode stripImages(JsonNode spec) {
        ObjectNode copy = spec.deepCopy();
        for (String list : List.of("initContainers", "containers")) {
            Json.objects(copy, list).forEach(c -> c.remove("image"));
        }
        copy.remove(List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"));
        return copy;
    }

    /** Container names must be unique across containers and init containers. */
    static void checkUniqueNames(JsonNode spec, String path, List<FieldError> errors) {
        Set<String> seen = new HashSet<>();
        for (String list : List.of("initContainers", "containers")) {
            int i = 0;
            for (JsonNode container : spec.path(list)) {
                String name = container.path("name").asText("");
                if (!name.isEmpty() && !seen.add(name)) {
                    errors.add(FieldError.duplicate(path + "." + list + "[" + i + "].name", name));
                }
                i++;
            }
        }
    }
}
