package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.GoDuration;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.apiserver.errors.FieldError;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kumo's NodePool ({@code kumo.dev/v1alpha1}): the instance types a pool's nodes are launched as, its size bounds,
 * an optional desired size ({@code spec.replicas}, what {@code kubectl scale} sets, kept within the bounds), the
 * labels and taints its nodes register with, and how long a node must stay empty before it is removed.
 */
public final class NodePoolStrategy implements Strategy {
    /** Karpenter's {@code consolidateAfter}, cluster-autoscaler's {@code --scale-down-unneeded-time} default: 5m. */
    public static final String DEFAULT_EMPTY_NODE_TTL = "5m0s";
    private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void prepareForCreate(ObjectNode pool) {
        pool.remove("status");
        defaults(pool);
    }

    @Override
    public void prepareForUpdate(ObjectNode pool, ObjectNode old) {
        defaults(pool);
    }

    private static void defaults(ObjectNode pool) {
        ObjectNode spec = Json.object(pool, "spec");
        Json.defaultLong(spec, "minSize", 0);
        Json.defaultText(spec, "emptyNodeTTL", DEFAULT_EMPTY_NODE_TTL);
        JsonNode replicas = spec.path("replicas");
        JsonNode min = spec.path("minSize");
        JsonNode max = spec.path("maxSize");
        // A desired size outside the bounds is brought within them (kubectl scale past maxSize gives maxSize), once
        // the bounds themselves are valid; validation reports bounds that are not.
        if (replicas.canConvertToLong() && min.canConvertToLong() && max.canConvertToLong()
                && min.asLong() >= 0 && min.asLong() <= max.asLong()) {
            spec.put("replicas", Math.max(min.asLong(), Math.min(max.asLong(), replicas.asLong())));
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode pool) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = pool.path("spec");
        JsonNode types = spec.path("instanceTypes");
        if (!types.isArray() || types.isEmpty()) {
            errors.add(FieldError.required("spec.instanceTypes", "at least one instance type is needed"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < types.size(); i++) {
                String type = types.get(i).asText("");
                if (!types.get(i).isTextual() || type.isEmpty()) {
                    errors.add(FieldError.required("spec.instanceTypes[" + i + "]", "an instance type name"));
                } else if (!seen.add(type)) {
                    errors.add(FieldError.duplicate("spec.instanceTypes[" + i + "]", type));
                }
            }
        }
        JsonNode min = spec.path("minSize");
        JsonNode max = spec.path("maxSize");
        nonNegative(errors, "spec.minSize", min);
        if (max.isMissingNode() || max.isNull()) {
            errors.add(FieldError.required("spec.maxSize", "the most nodes the pool may have"));
        } else {
            nonNegative(errors, "spec.maxSize", max);
        }
        if (min.canConvertToLong() && max.canConvertToLong() && min.asLong() > max.asLong()) {
            errors.add(FieldError.invalid("spec.minSize", min.asLong(),
                    "must be less than or equal to spec.maxSize (" + max.asLong() + ")"));
        }
        if (spec.has("replicas") && !spec.get("replicas").isNull()) {
            nonNegative(errors, "spec.replicas", spec.get("replicas"));
        }
        String ttl = spec.path("emptyNodeTTL").asText("");
        try {
            GoDuration.parse(ttl);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.invalid("spec.emptyNodeTTL", ttl,
                    "must be a duration such as 30s, 5m or 1h30m: " + e.getMessage()));
        }
        validateLabels(spec.path("labels"), errors);
        validateTaints(spec.path("taints"), errors);
        JsonNode zones = spec.path("zones");
        if (!zones.isMissingNode() && !zones.isNull() && !zones.isArray()) {
            errors.add(FieldError.invalid("spec.zones", zones, "must be a list of zone names"));
        }
        return errors;
    }

    private static void nonNegative(List<FieldError> errors, String field, JsonNode value) {
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            errors.add(FieldError.invalid(field, value, "must be a whole number"));
        } else if (value.asLong() < 0) {
            errors.add(FieldError.invalid(field, value.asLong(), "must be greater than or equal to 0"));
        }
    }

    private static void validateLabels(JsonNode labels, List<FieldError> errors) {
        if (labels.isMissingNode() || labels.isNull()) {
            return;
        }
        if (!labels.isObject()) {
            errors.add(FieldError.invalid("spec.labels", labels, "must be a map of label keys to values"));
            return;
        }
        for (Map.Entry<String, JsonNode> label : labels.properties()) {
            if (!Labels.isValidKey(label.getKey())) {
                errors.add(FieldError.invalid("spec.labels", label.getKey(), "name part must consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                        + "character"));
            } else if (!Labels.isValidValue(label.getValue().asText(""))) {
                errors.add(FieldError.invalid("spec.labels", label.getValue().asText(""), "a valid label must be "
                        + "an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
                        + "and end with an alphanumeric character"));
            }
        }
    }

    private static void validateTaints(JsonNode taints, List<FieldError> errors) {
        if (taints.isMissingNode() || taints.isNull()) {
            return;
        }
        if (!taints.isArray()) {
            errors.add(FieldError.invalid("spec.taints", taints, "must be a list of taints"));
            return;
        }
        for (int i = 0; i < taints.size(); i++) {
            JsonNode taint = taints.get(i);
            String path = "spec.taints[" + i + "]";
            String key = taint.path("key").asText("");
            if (key.isEmpty()) {
                errors.add(FieldError.required(path + ".key", ""));
            } else if (!Labels.isValidKey(key)) {
                errors.add(FieldError.invalid(path + ".key", key, "must be a valid label key"));
            }
            String effect = taint.path("effect").asText("");
            if (effect.isEmpty()) {
                errors.add(FieldError.required(path + ".effect", ""));
            } else if (!EFFECTS.contains(effect)) {
                errors.add(FieldError.notSupported(path + ".effect", effect,
                        "supported values: \"NoExecute\", \"NoSchedule\", \"PreferNoSchedule\""));
            }
        }
    }
}
