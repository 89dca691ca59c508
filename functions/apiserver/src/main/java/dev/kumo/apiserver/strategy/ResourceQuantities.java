package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.apimachinery.resource.ResourceNames;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.apiserver.errors.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resource names and quantities in objects (container resources, limit ranges, quotas): their canonical form and
 * Kubernetes' validation of them ({@code ValidateResourceQuantityValue} and the resource name rules).
 */
public final class ResourceQuantities {
    /** Resources counted in whole objects or devices: a fraction of one is invalid. */
    static final Set<String> INTEGER_RESOURCES = Set.of("pods", "resourcequotas", "services",
            "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports",
            "services.loadbalancers");
    static final Set<String> CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");
    static final Set<String> QUOTA_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "requests.cpu",
            "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
            "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
            "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers");
    static final Set<String> STANDARD_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "storage", "pods",
            "resourcequotas", "services", "replicationcontrollers", "secrets", "persistentvolumeclaims",
            "configmaps", "services.nodeports", "services.loadbalancers", "requests.cpu", "requests.memory",
            "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
            "limits.ephemeral-storage");

    private ResourceQuantities() {
    }

    /** Rewrites each well-formed quantity of a resource map in canonical form, as Kubernetes serves it. */
    public static void canonicalize(JsonNode map) {
        if (!(map instanceof ObjectNode object)) {
            return;
        }
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = object.get(name);
            if (value.isTextual() || value.isNumber()) {
                try {
                    object.put(name, Quantity.parse(value.asText()).toString());
                } catch (IllegalArgumentException e) {
                    // left as sent: validation reports it with the field's path
                }
            }
        }
    }

    /** The quantities of a map, each checked: well-formed, not negative, whole where the resource counts objects. */
    static void validateValues(JsonNode map, String path, List<FieldError> errors) {
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) map::fields) {
            String at = path + "[" + entry.getKey() + "]";
            Quantity quantity = parse(entry.getValue(), at, errors);
            if (quantity == null) {
                continue;
            }
            if (quantity.signum() < 0) {
                errors.add(FieldError.invalid(at, quantity.toString(), "must be greater than or equal to 0"));
            }
            if (isIntegerResource(entry.getKey()) && quantity.milliValue() % 1000 != 0) {
                errors.add(FieldError.invalid(at, quantity.toString(), "must be an integer"));
            }
        }
    }

    /** The quantity at {@code at}, or null after adding the error Kubernetes' decoder would give. */
    static Quantity parse(JsonNode value, String at, List<FieldError> errors) {
        if (!value.isTextual() && !value.isNumber()) {
            errors.add(FieldError.invalid(at, value.toString(), Quantity.FORMAT_ERROR));
            return null;
        }
        try {
            return Quantity.parse(value.asText());
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.invalid(at, value.asText(), e.getMessage()));
            return null;
        }
    }

    /** The quantity, or null when the value is missing or malformed. */
    public static Quantity tryParse(JsonNode value) {
        if (!value.isTextual() && !value.isNumber()) {
            return null;
        }
        try {
            return Quantity.parse(value.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isIntegerResource(String name) {
        return INTEGER_RESOURCES.contains(name) || ResourceNames.isExtended(name);
    }

    /** A resource name of a container's requests and limits. */
    static void validateContainerResourceName(String name, String at, List<FieldError> errors) {
        validateResourceName(name, at, errors);
        if (name.indexOf('/') < 0) {
            if (!CONTAINER_RESOURCES.contains(name) && !name.startsWith("hugepages-")) {
                errors.add(FieldError.invalid(at, name, "must be a standard resource for containers"));
            }
        } else if (!ResourceNames.isNative(name) && !ResourceNames.isExtended(name)) {
            errors.add(FieldError.invalid(at, name, "doesn't follow extended resource name standard"));
        }
    }

    /** A resource name a quota may limit. */
    static void validateQuotaResourceName(String name, String at, List<FieldError> errors) {
        validateResourceName(name, at, errors);
        if (name.indexOf('/') < 0 && !QUOTA_RESOURCES.contains(name)
                && !name.startsWith("hugepages-") && !name.startsWith("requests.hugepages-")) {
            errors.add(FieldError.invalid(at, name, "must be a standard resource for quota"));
        }
    }

    /** Any resource name: qualified, and standard unless it has a domain. */
    static void validateResourceName(String name, String at, List<FieldError> errors) {
        if (!Labels.isValidKey(name)) {
            errors.add(FieldError.invalid(at, name, "name part must consist of alphanumeric characters, '-', '_' or "
                    + "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
                    + "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
        } else if (name.indexOf('/') < 0 && !STANDARD_RESOURCES.contains(name) && !name.startsWith("hugepages-")
                && !name.startsWith("requests.hugepages-")) {
            errors.add(FieldError.invalid(at, name, "must be a standard resource type or fully qualified"));
        }
    }
}
