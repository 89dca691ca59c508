package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * RFC 7386 JSON Merge Patch ({@code application/merge-patch+json}): objects merge member by member,
 * {@code null} removes a member, anything else (arrays included) replaces.
 */
public final class JsonMergePatch implements ObjectPatcher {

    @Override
    public ObjectNode apply(ObjectNode original, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new MalformedPatchException("a JSON merge patch for an object must be a JSON object");
        }
        return (ObjectNode) merge(original.deepCopy(), patch);
    }

    /** Merges {@code patch} into {@code target} (which may be modified or null) and returns the result. */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }
}
