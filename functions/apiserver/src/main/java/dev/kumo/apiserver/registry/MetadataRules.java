package dev.kumo.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.apiserver.errors.FieldError;
import dev.kumo.apiserver.strategy.Strategy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules every object shares, run in one fixed order by the registry (Kubernetes' {@code BeforeCreate} /
 * {@code BeforeUpdate} and {@code ValidateObjectMeta}).
 */
final class MetadataRules {
    static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int TOTAL_ANNOTATION_BYTES = 256 * 1024;

    private final Clock clock;

    MetadataRules(Clock clock) {
        this.clock = clock;
    }

    /** generateName, uid, creationTimestamp; clears what the server owns. */
    void prepareForCreate(ObjectNode object) {
        ObjectNode metadata = Meta.of(object);
        String name = metadata.path("name").asText("");
        String generateName = metadata.path("generateName").asText("");
        if (name.isEmpty() && !generateName.isEmpty()) {
            metadata.put("name", Names.generate(generateName));
        }
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", now());
        metadata.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
    }

    /** Keeps what an update may not change: uid, creation time, deletion state, generation (set by the registry). */
    void prepareForUpdate(ObjectNode object, ObjectNode old) {
        ObjectNode metadata = Meta.of(object);
        JsonNode oldMetadata = old.path("metadata");
        for (String kept : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                "generation")) {
            if (oldMetadata.has(kept)) {
                metadata.set(kept, oldMetadata.get(kept));
            } else {
                metadata.remove(kept);
            }
        }
        metadata.remove("selfLink");
    }

    String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    List<FieldError> validate(ObjectNode object, boolean namespaced, Strategy strategy) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode metadata = object.path("metadata");
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            errors.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            errors.addAll(strategy.namesArePathSegments() ? validatePathSegmentName("metadata.name", name)
                    : validateName("metadata.name", name, strategy.namesAreLabels()));
        }
        String namespace = metadata.path("namespace").asText("");
        if (namespaced && namespace.isEmpty()) {
            errors.add(FieldError.required("metadata.namespace", ""));
        } else if (!namespaced && !namespace.isEmpty()) {
            errors.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
        }
        validateStringMap(metadata.path("labels"), "metadata.labels", true, errors);
        validateStringMap(metadata.path("annotations"), "metadata.annotations", false, errors);
        return errors;
    }

    /** {@code path.IsValidPathSegmentName}: any name that can be one segment of a URL path. */
    static List<FieldError> validatePathSegmentName(String field, String name) {
        if (name.equals(".") || name.equals("..")) {
            return List.of(FieldError.invalid(field, name, "may not be '" + name + "'"));
        }
        List<FieldError> errors = new ArrayList<>();
        for (String illegal : List.of("/", "%")) {
            if (name.contains(illegal)) {
                errors.add(FieldError.invalid(field, name, "may not contain '" + illegal + "'"));
            }
        }
        return errors;
    }

    static List<FieldError> validateName(String field, String name, boolean label) {
        if (label) {
            if (name.length() > 63) {
                return List.of(FieldError.invalid(field, name, "must be no more than 63 characters"));
            }
            if (!DNS1123_LABEL.matcher(name).matches()) {
                return List.of(FieldError.invalid(field, name, "a lowercase RFC 1123 label must consist of lower "
                        + "case alphanumeric characters or '-', and must start and end with an alphanumeric "
                        + "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
            }
            return List.of();
        }
        if (name.length() > 253) {
            return List.of(FieldError.invalid(field, name, "must be no more than 253 characters"));
        }
        if (!DNS1123_SUBDOMAIN.matcher(name).matches()) {
            return List.of(FieldError.invalid(field, name, "a lowercase RFC 1123 subdomain must consist of lower "
                    + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                    + "character (e.g. 'example.com', regex used for validation is "
                    + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }
        return List.of();
    }

    private static void validateStringMap(JsonNode map, String field, boolean labels, List<FieldError> errors) {
        if (map.isMissingNode() || map.isNull()) {
            return;
        }
        if (!map.isObject()) {
            errors.add(FieldError.invalid(field, map.toString(), "must be a map of strings"));
            return;
        }
        long total = 0;
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) map::fields) {
            String key = entry.getKey();
            if (!Labels.isValidKey(key)) {
                errors.add(FieldError.invalid(field, key, "name part must consist of alphanumeric characters, "
                        + "'-', '_' or '.', and must start and end with an alphanumeric character, with an "
                        + "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
            }
            if (!entry.getValue().isTextual()) {
                errors.add(FieldError.invalid(field + "[" + key + "]", entry.getValue().toString(),
                        "must be a string"));
                continue;
            }
            String value = entry.getValue().asText();
            if (labels && !Labels.isValidValue(value)) {
                errors.add(FieldError.invalid(field, value, "a valid label must be an empty string or consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                        + "character, at most 63 characters"));
            }
            total += key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (!labels && total > TOTAL_ANNOTATION_BYTES) {
            errors.add(FieldError.tooLong(field, TOTAL_ANNOTATION_BYTES));
        }
    }
}
