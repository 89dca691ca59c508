package dev.kumo.apimachinery.patch.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One OpenAPI schema with its {@code $ref} and {@code allOf} layers folded in: the keys written on the
 * schema itself win over those of what it references.
 *
 * @param type the {@code type} keyword, or null
 * @param properties declared fields and their (unresolved) schemas
 * @param additionalProperties the schema of map values, or null when the object is not a map
 * @param items the (unresolved) schema of list items, or null
 * @param extensions the {@code x-kubernetes-*} extensions
 * @param defaultValue the {@code default} keyword, or null
 */
record ResolvedSchema(
        String type,
        Map<String, JsonNode> properties,
        JsonNode additionalProperties,
        JsonNode items,
        Map<String, JsonNode> extensions,
        JsonNode defaultValue) {

    static final String LIST_TYPE = "x-kubernetes-list-type";
    static final String LIST_MAP_KEYS = "x-kubernetes-list-map-keys";
    static final String MAP_TYPE = "x-kubernetes-map-type";
    static final String PATCH_STRATEGY = "x-kubernetes-patch-strategy";
    static final String PATCH_MERGE_KEY = "x-kubernetes-patch-merge-key";
    static final String INT_OR_STRING = "x-kubernetes-int-or-string";
    static final String PRESERVE_UNKNOWN_FIELDS = "x-kubernetes-preserve-unknown-fields";

    ResolvedSchema {
        properties = Map.copyOf(properties);
        extensions = Map.copyOf(extensions);
    }

    Shape shape() {
        if (flag(INT_OR_STRING)) {
            return Shape.SCALAR;
        }
        if ("array".equals(type) || (type == null && items != null)) {
            return Shape.LIST;
        }
        boolean hasFields = !properties.isEmpty() || additionalProperties != null;
        if ("object".equals(type) || (type == null && hasFields)) {
            return flag(PRESERVE_UNKNOWN_FIELDS) && !hasFields ? Shape.UNTYPED : Shape.OBJECT;
        }
        if (type != null && List.of("string", "integer", "number", "boolean").contains(type)) {
            return Shape.SCALAR;
        }
        return Shape.UNTYPED;
    }

    Optional<String> text(String extension) {
        JsonNode value = extensions.get(extension);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    List<String> textList(String extension) {
        JsonNode value = extensions.get(extension);
        if (value == null || !value.isArray()) {
            return List.of();
        }
        return java.util.stream.StreamSupport.stream(value.spliterator(), false)
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText)
                .toList();
    }

    boolean flag(String extension) {
        JsonNode value = extensions.get(extension);
        return value != null && value.asBoolean(false);
    }
}
