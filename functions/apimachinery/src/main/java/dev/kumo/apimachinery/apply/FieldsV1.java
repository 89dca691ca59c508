package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kubernetes' {@code FieldsV1} encoding of a {@link FieldSet}: nested objects keyed by
 * {@link PathElement#fieldsV1Key()}, {@code {}} for a member without members below it, and {@code ".": {}}
 * inside the object of a member that also has members below it. Keys are written in set order.
 */
public final class FieldsV1 {

    private static final String SELF = ".";

    private FieldsV1() {
    }

    public static ObjectNode encode(FieldSet set) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        write(set, false, json);
        return json;
    }

    private static void write(FieldSet set, boolean self, ObjectNode json) {
        if (self) {
            json.putObject(SELF);
        }
        TreeSet<PathElement> elements = new TreeSet<>(set.members());
        elements.addAll(set.children().keySet());
        for (PathElement element : elements) {
            ObjectNode child = json.putObject(element.fieldsV1Key());
            FieldSet below = set.child(element);
            if (!below.isEmpty()) {
                write(below, set.members().contains(element), child);
            }
        }
    }

    /** Reads a {@code fieldsV1} value; throws {@link InvalidManagedFieldsException} if it is malformed. */
    public static FieldSet decode(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidManagedFieldsException("fieldsV1 must be a JSON object, not " + json);
        }
        NavigableSet<PathElement> members = new TreeSet<>();
        Map<PathElement, FieldSet> children = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals(SELF)) {
                continue;
            }
            PathElement element = PathElement.parseFieldsV1(entry.getKey());
            JsonNode value = entry.getValue();
            if (!value.isObject()) {
                throw new InvalidManagedFieldsException("fieldsV1 value of \"" + entry.getKey() + "\" must be an object");
            }
            if (value.isEmpty() || value.has(SELF)) {
                members.add(element);
            }
            children.put(element, decode(value));
        }
        return FieldSet.of(members, children);
    }
}
