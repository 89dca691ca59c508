package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small helpers for defaulting JSON trees. */
public final class Json {
    private Json() {
    }

    /** The object at {@code field}, created if absent. */
    public static ObjectNode object(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        return node instanceof ObjectNode o ? o : parent.putObject(field);
    }

    public static void defaultText(ObjectNode node, String field, String value) {
        if (!node.hasNonNull(field) || node.get(field).asText().isEmpty()) {
            node.put(field, value);
        }
    }

    public static void defaultLong(ObjectNode node, String field, long value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }

    public static void defaultBoolean(ObjectNode node, String field, boolean value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }

    /** Each element of the array at {@code field} that is an object. */
    public static Iterable<ObjectNode> objects(JsonNode parent, String field) {
        JsonNode array = parent.path(field);
        java.util.List<ObjectNode> objects = new java.util.ArrayList<>();
        if (array instanceof ArrayNode) {
            array.forEach(element -> {
                if (element instanceof ObjectNode o) {
                    objects.add(o);
                }
            });
        }
        return objects;
    }
}
