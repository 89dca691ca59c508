package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.patch.JsonValues;

import java.util.Map;

/**
 * Equality of API objects held as JSON the way {@code apiequality.Semantic.DeepEqual} sees Go structs: an absent
 * field, a null and an empty map or list are the same, and numbers are equal by value whatever their JSON form.
 */
final class SemanticJson {
    private SemanticJson() {
    }

    static boolean equal(JsonNode a, JsonNode b) {
        return JsonValues.equal(pruned(a), pruned(b));
    }

    /** The value without unset fields (null, empty maps and lists), recursively; null if it is unset itself. */
    static JsonNode pruned(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode kept = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = pruned(field.getValue());
                if (value != null) {
                    kept.set(field.getKey(), value);
                }
            }
            return kept.isEmpty() ? null : kept;
        }
        if (node.isArray()) {
            if (node.isEmpty()) {
                return null;
            }
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> kept.add(element.isObject() && element.isEmpty() ? element : pruned(element)));
            return kept;
        }
        return node;
    }
}
