package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.errors.ApiException;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Applies a PATCH body to the current object according to its media type. */
public final class Patches {
    public static final String MERGE = "application/merge-patch+json";
    public static final String JSON = "application/json-patch+json";
    public static final String STRATEGIC = "application/strategic-merge-patch+json";
    public static final String APPLY = "application/apply-patch+yaml";
    public static final List<String> TYPES = List.of(JSON, MERGE, STRATEGIC, APPLY);

    private Patches() {
    }

    /** RFC 7386: objects merge recursively, null removes, anything else replaces. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : ((ObjectNode) patch).objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    static ObjectNode requireObject(JsonNode node, String what) {
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new ApiException(422, "Invalid", what + " must produce a JSON object", null);
    }
}
