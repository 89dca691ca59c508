package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A mutable JSON document addressed by JSON Pointers, with the RFC 6902 rules for where values may be
 * added, replaced and removed. Failures throw {@link PatchApplicationException} naming the pointer.
 */
final class JsonDocument {

    private JsonNode root;

    JsonDocument(JsonNode root) {
        this.root = root;
    }

    JsonNode root() {
        return root;
    }

    /** The value at {@code pointer}, or null if there is none. */
    JsonNode find(JsonPointer pointer) {
        JsonNode node = root;
        for (String token : pointer.tokens()) {
            node = child(node, token);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    JsonNode get(JsonPointer pointer) {
        JsonNode value = find(pointer);
        if (value == null) {
            throw missing(pointer);
        }
        return value;
    }

    void add(JsonPointer pointer, JsonNode value) {
        if (pointer.isRoot()) {
            root = value;
            return;
        }
        JsonNode parent = container(pointer);
        String token = pointer.last();
        if (parent instanceof ObjectNode object) {
            object.set(token, value);
            return;
        }
        ArrayNode array = (ArrayNode) parent;
        if (token.equals("-")) {
            array.add(value);
            return;
        }
        int index = JsonPointer.arrayIndex(token);
        if (index < 0) {
            throw new PatchApplicationException("cannot add at \"" + pointer + "\": \"" + token
                    + "\" is not an array index");
        }
        if (index > array.size()) {
            throw new PatchApplicationException("cannot add at \"" + pointer + "\": index " + token
                    + " is out of bounds for an array of " + array.size() + " items");
        }
        array.insert(index, value);
    }

    JsonNode remove(JsonPointer pointer) {
        if (pointer.isRoot()) {
            throw new PatchApplicationException("cannot remove the whole document");
        }
        JsonNode removed = get(pointer);
        JsonNode parent = find(pointer.parent());
        if (parent instanceof ObjectNode object) {
            object.remove(pointer.last());
        } else {
            ((ArrayNode) parent).remove(JsonPointer.arrayIndex(pointer.last()));
        }
        return removed;
    }

    void replace(JsonPointer pointer, JsonNode value) {
        if (pointer.isRoot()) {
            root = value;
            return;
        }
        get(pointer);
        JsonNode parent = find(pointer.parent());
        if (parent instanceof ObjectNode object) {
            object.set(pointer.last(), value);
        } else {
            ((ArrayNode) parent).set(JsonPointer.arrayIndex(pointer.last()), value);
        }
    }

    /** The object or array that should hold the last token of {@code pointer}. */
    private JsonNode container(JsonPointer pointer) {
        JsonNode parent = find(pointer.parent());
        if (parent == null) {
            throw missing(pointer.parent());
        }
        if (!parent.isContainerNode()) {
            throw new PatchApplicationException("cannot add at \"" + pointer + "\": \"" + pointer.parent()
                    + "\" is a " + parent.getNodeType().name().toLowerCase() + ", not an object or array");
        }
        return parent;
    }

    private static JsonNode child(JsonNode node, String token) {
        if (node.isObject()) {
            return node.get(token);
        }
        if (node.isArray()) {
            int index = JsonPointer.arrayIndex(token);
            return index >= 0 && index < node.size() ? node.get(index) : null;
        }
        return null;
    }

    private static PatchApplicationException missing(JsonPointer pointer) {
        return new PatchApplicationException("path \"" + pointer + "\" does not exist");
    }
}
