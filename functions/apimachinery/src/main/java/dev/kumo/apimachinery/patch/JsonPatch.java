package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON Patch ({@code application/json-patch+json}): an array of operations applied in order; if
 * one fails, the whole patch fails and the original is untouched.
 */
public final class JsonPatch implements ObjectPatcher {

    @Override
    public ObjectNode apply(ObjectNode original, JsonNode patch) {
        List<JsonPatchOperation> operations = parse(patch);
        JsonDocument document = new JsonDocument(original.deepCopy());
        for (int i = 0; i < operations.size(); i++) {
            JsonPatchOperation operation = operations.get(i);
            try {
                apply(document, operation);
            } catch (PatchApplicationException e) {
                throw new PatchApplicationException(
                        "JSON patch operation " + i + " (" + operation.name() + ") failed: " + e.getMessage());
            }
        }
        if (!(document.root() instanceof ObjectNode result)) {
            throw new PatchApplicationException("the patched document must be a JSON object, not "
                    + document.root().getNodeType().name().toLowerCase());
        }
        return result;
    }

    /** Reads a patch document into its operations. */
    public static List<JsonPatchOperation> parse(JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw new MalformedPatchException("a JSON patch must be a JSON array of operations");
        }
        List<JsonPatchOperation> operations = new ArrayList<>(patch.size());
        for (int i = 0; i < patch.size(); i++) {
            operations.add(JsonPatchOperation.parse(patch.get(i), i));
        }
        return operations;
    }

    private static void apply(JsonDocument document, JsonPatchOperation operation) {
        switch (operation) {
            case JsonPatchOperation.Add add -> document.add(add.path(), add.value().deepCopy());
            case JsonPatchOperation.Remove remove -> document.remove(remove.path());
            case JsonPatchOperation.Replace replace -> document.replace(replace.path(), replace.value().deepCopy());
            case JsonPatchOperation.Move move -> {
                if (!move.from().equals(move.path())) {
                    document.add(move.path(), document.remove(move.from()));
                } else {
                    document.get(move.from());
                }
            }
            case JsonPatchOperation.Copy copy -> document.add(copy.path(), document.get(copy.from()).deepCopy());
            case JsonPatchOperation.Test test -> {
                JsonNode actual = document.get(test.path());
                if (!JsonValues.equal(actual, test.value())) {
                    throw new PatchApplicationException("test failed: value at \"" + test.path() + "\" is "
                            + actual + ", expected " + test.value());
                }
            }
        }
    }
}
