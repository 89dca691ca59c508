package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.apiserver.errors.FieldError;

import java.util.ArrayList;
import java.util.List;

/** Defaults and validation of a pod spec, shared by pods and the templates of workloads. */
public final class PodTemplateDefaults {
    private PodTemplateDefaults() {
    }

    public static void apply(ObjectNode spec) {
        Json.defaultText(spec, "restartPolicy", "Always");
        Json.defaultText(spec, "dnsPolicy", "ClusterFirst");
        Json.defaultText(spec, "schedulerName", "default-scheduler");
        Json.defaultLong(spec, "terminationGracePeriodSeconds", 30);
        Json.defaultBoolean(spec, "enableServiceLinks", true);
        Json.defaultText(spec, "preemptionPolicy", "PreemptLowerPriority");
        Json.defaultLong(spec, "priority", 0);
        Json.object(spec, "securityContext");
        if (spec.hasNonNull("serviceAccountName") && !spec.hasNonNull("serviceAccount")) {
            spec.put("serviceAccount", spec.get("serviceAccountName").asText());
        }
        for (String list : List.of("initContainers", "containers")) {
            for (ObjectNode container : Json.objects(spec, list)) {
                Json.defaultText(container, "terminationMessagePath", "/dev/termination-log");
                Json.defaultText(container, "terminationMessagePolicy", "File");
                Json.defaultText(container, "imagePullPolicy", pullPolicyFor(container.path("image").asText("")));
                ObjectNode resources = Json.object(container, "resources");
                ResourceQuantities.canonicalize(resources.path("requests"));
                ResourceQuantities.canonicalize(resources.path("limits"));
                for (ObjectNode port : Json.objects(container, "ports")) {
                    Json.defaultText(port, "protocol", "TCP");
                }
            }
        }
    }

    /** Kubernetes' {@code ValidateResourceRequirements}: names, quantities, and no request above its limit. */
    private static void validateResources(JsonNode resources, String path, List<FieldError> errors) {
        for (String kind : List.of("limits", "requests")) {
            resources.path(kind).fieldNames().forEachRemaining(name -> ResourceQuantities
                    .validateContainerResourceName(name, path + "." + kind + "[" + name + "]", errors));
            ResourceQuantities.validateValues(resources.path(kind), path + "." + kind, errors);
        }
        resources.path("requests").fields().forEachRemaining(entry -> {
            Quantity request = ResourceQuantities.tryParse(entry.getValue());
            Quantity limit = ResourceQuantities.tryParse(resources.path("limits").path(entry.getKey()));
            if (request != null && limit != null && request.compareTo(limit) > 0) {
                errors.add(FieldError.invalid(path + ".requests", request.toString(), "must be less than or equal to "
                        + entry.getKey() + " limit of " + limit));
            }
        });
    }

    /** {@code Always} for {@code :latest} or untagged images, else {@code IfNotPresent}, as Kubernetes defaults. */
    static String pullPolicyFor(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        boolean tagged = colon > slash;
        return !tagged || image.endsWith(":latest") ? "Always" : "IfNotPresent";
    }

    public static List<FieldError> validate(JsonNode spec, String path) {
        List<FieldError> errors = new ArrayList<>();
        if (!spec.path("containers").isArray() || spec.path("containers").isEmpty()) {
            errors.add(FieldError.required(path + ".containers", ""));
        }
        for (String list : List.of("initContainers", "containers")) {
            int i = 0;
            for (JsonNode container : spec.path(list)) {
                String at = path + "." + list + "[" + i + "]";
                String name = container.path("name").asText("");
                if (name.isEmpty()) {
                    errors.add(FieldError.required(at + ".name", ""));
                } else {
                    errors.addAll(dev.kumo.apiserver.registry.Names.validateLabel(at + ".name", name));
                }
                if (container.path("image").asText("").isBlank()) {
                    errors.add(FieldError.required(at + ".image", ""));
                }
                validateResources(container.path("resources"), at + ".resources", errors);
                int p = 0;
                for (JsonNode port : container.path("ports")) {
                    long number = port.path("containerPort").asLong(0);
                    if (number < 1 || number > 65535) {
                        errors.add(FieldError.invalid(at + ".ports[" + p + "].containerPort",
                                port.path("containerPort").asText(), "must be between 1 and 65535, inclusive"));
                    }
                    String protocol = port.path("protocol").asText("TCP");
                    if (!List.of("TCP", "UDP", "SCTP").contains(protocol)) {
                        errors.add(FieldError.notSupported(at + ".ports[" + p + "].protocol", protocol,
                                "supported values: \"SCTP\", \"TCP\", \"UDP\""));
                    }
                    p++;
                }
                i++;
            }
        }
        String restartPolicy = spec.path("restartPolicy").asText("Always");
        if (!List.of("Always", "OnFailure", "Never").contains(restartPolicy)) {
            errors.add(FieldError.notSupported(path + ".restartPolicy", restartPolicy,
                    "supported values: \"Always\", \"OnFailure\", \"Never\""));
        }
        PodStrategy.checkUniqueNames(spec, path, errors);
        return errors;
    }
}
