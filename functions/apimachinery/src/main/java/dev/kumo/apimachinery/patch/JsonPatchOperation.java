package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** One operation of an RFC 6902 JSON Patch. */
public sealed interface JsonPatchOperation {

    /** The location the operation writes or checks. */
    JsonPointer path();

    /** The {@code op} member's value. */
    default String name() {
        return switch (this) {
            case Add add -> "add";
            case Remove remove -> "remove";
            case Replace replace -> "replace";
            case Move move -> "move";
            case Copy copy -> "copy";
            case Test test -> "test";
        };
    }

    record Add(JsonPointer path, JsonNode value) implements JsonPatchOperation {
    }

    record Remove(JsonPointer path) implements JsonPatchOperation {
    }

    record Replace(JsonPointer path, JsonNode value) implements JsonPatchOperation {
    }

    record Move(JsonPointer from, JsonPointer path) implements JsonPatchOperation {
    }

    record Copy(JsonPointer from, JsonPointer path) implements JsonPatchOperation {
    }

    record Test(JsonPointer path, JsonNode value) implements JsonPatchOperation {
    }

    /** Reads one operation object; {@code index} is its position in the patch, for messages. */
    static JsonPatchOperation parse(JsonNode operation, int index) {
        if (!operation.isObject()) {
            throw malformed(index, "an operation must be a JSON object");
        }
        JsonNode op = operation.get("op");
        if (op == null || !op.isTextual()) {
            throw malformed(index, "missing \"op\"");
        }
        JsonPointer path = pointer(operation, "path", index);
        return switch (op.asText()) {
            case "add" -> new Add(path, value(operation, index));
            case "remove" -> new Remove(path);
            case "replace" -> new Replace(path, value(operation, index));
            case "move" -> move(pointer(operation, "from", index), path, index);
            case "copy" -> new Copy(pointer(operation, "from", index), path);
            case "test" -> new Test(path, value(operation, index));
            default -> throw malformed(index, "unknown op \"" + op.asText() + "\"");
        };
    }

    private static Move move(JsonPointer from, JsonPointer path, int index) {
        if (path.isStrictlyInside(from)) {
            throw malformed(index, "cannot move \"" + from + "\" into its own child \"" + path + "\"");
        }
        return new Move(from, path);
    }

    private static JsonPointer pointer(JsonNode operation, String member, int index) {
        JsonNode text = operation.get(member);
        if (text == null || !text.isTextual()) {
            throw malformed(index, "missing \"" + member + "\"");
        }
        try {
            return JsonPointer.parse(text.asText());
        } catch (MalformedPatchException e) {
            throw malformed(index, e.getMessage());
        }
    }

    private static JsonNode value(JsonNode operation, int index) {
        JsonNode value = operation.get("value");
        if (value == null) {
            throw malformed(index, "missing \"value\"");
        }
        return value;
    }

    private static MalformedPatchException malformed(int index, String reason) {
        return new MalformedPatchException("invalid JSON patch operation " + index + ": " + reason);
    }
}
