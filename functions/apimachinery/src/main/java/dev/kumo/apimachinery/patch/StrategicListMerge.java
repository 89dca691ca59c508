package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.patch.Directives.PatchDirective;
import dev.kumo.apimachinery.patch.schema.SchemaNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Strategic merge of one list field: merged by key when its patch strategy says so, replaced otherwise. */
final class StrategicListMerge {

    private StrategicListMerge() {
    }

    /** Merges {@code patch} into {@code live} (which is not modified) for a list described by {@code node}. */
    static ArrayNode merge(ArrayNode live, ArrayNode patch, SchemaNode node) {
        if (!node.patchStrategy().merge()) {
            return patch.deepCopy();
        }
        if (live.isEmpty() && patch.isEmpty()) {
            return live.deepCopy();
        }
        return elementType(live, patch) == JsonNodeType.OBJECT
                ? mergeObjects(live, patch, node)
                : mergeScalars(live, patch);
    }

    /** Removes every item equal to one of {@code values}. */
    static ArrayNode without(ArrayNode live, JsonNode values) {
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        live.forEach(item -> {
            boolean deleted = false;
            for (JsonNode value : values) {
                deleted |= JsonValues.equal(item, value);
            }
            if (!deleted) {
                result.add(item.deepCopy());
            }
        });
        return result;
    }

    /** A union keeping one copy of each value, ordered as {@link ElementOrder} says. */
    private static ArrayNode mergeScalars(ArrayNode live, ArrayNode patch) {
        List<JsonNode> merged = new ArrayList<>();
        ElementOrder order = new ElementOrder(UnaryOperator.identity());
        for (JsonNode item : concat(live, patch)) {
            if (order.indexOf(merged, item) < 0) {
                merged.add(item.deepCopy());
            }
        }
        return toArray(order.arrange(merged, list(patch), list(live)));
    }

    private static ArrayNode mergeObjects(ArrayNode live, ArrayNode patch, SchemaNode node) {
        String mergeKey = node.patchMergeKey().orElseThrow(() -> new PatchApplicationException(
                "cannot merge lists of objects without a patch merge key"));
        SchemaNode items = node.items();
        List<JsonNode> merged = new ArrayList<>(list(live));
        List<JsonNode> patchItems = new ArrayList<>();
        boolean replace = false;
        for (JsonNode item : patch) {
            PatchDirective directive = Directives.patchDirective(item);
            if (directive == null) {
                patchItems.add(item);
            } else if (directive == PatchDirective.DELETE) {
                JsonNode key = requireKey(item, mergeKey);
                merged.removeIf(existing -> JsonValues.equal(existing.get(mergeKey), key));
            } else if (directive == PatchDirective.REPLACE) {
                replace = true;
            } else {
                ObjectNode rest = ((ObjectNode) item).deepCopy();
                rest.remove(Directives.PATCH);
                if (!rest.isEmpty()) {
                    patchItems.add(rest);
                }
            }
        }
        if (replace) {
            return toArray(patchItems.stream()
                    .map(item -> (JsonNode) StrategicObjectMerge.merge(null, (ObjectNode) item, items))
                    .toList());
        }
        List<JsonNode> server = List.copyOf(merged);
        for (JsonNode item : patchItems) {
            JsonNode key = requireKey(item, mergeKey);
            int index = indexOfKey(merged, mergeKey, key);
            ObjectNode base = index < 0 ? null : ((ObjectNode) merged.get(index)).deepCopy();
            ObjectNode result = StrategicObjectMerge.merge(base, (ObjectNode) item, items);
            if (index < 0) {
                merged.add(result);
            } else {
                merged.set(index, result);
            }
        }
        return toArray(new ElementOrder(item -> item.get(mergeKey)).arrange(merged, patchItems, server));
    }

    static JsonNode requireKey(JsonNode item, String mergeKey) {
        JsonNode key = item.get(mergeKey);
        if (key == null) {
            throw new MalformedPatchException("map: " + item + " does not contain declared merge key: " + mergeKey);
        }
        return key;
    }

    private static int indexOfKey(List<JsonNode> items, String mergeKey, JsonNode key) {
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isObject()) {
                throw new PatchApplicationException("list item " + i + " is not an object: " + items.get(i));
            }
            if (JsonValues.equal(items.get(i).get(mergeKey), key)) {
                return i;
            }
        }
        return -1;
    }

    /** The common JSON type of all items; lists of lists and mixed lists cannot be merged. */
    private static JsonNodeType elementType(ArrayNode live, ArrayNode patch) {
        JsonNodeType type = null;
        for (JsonNode item : concat(live, patch)) {
            JsonNodeType current = item.getNodeType();
            if (current == JsonNodeType.ARRAY) {
                throw new PatchApplicationException("lists of lists cannot be merged");
            }
            if (type != null && type != current) {
                throw new PatchApplicationException(
                        "list element types are not identical: " + live + " and " + patch);
            }
            type = current;
        }
        return type;
    }

    private static List<JsonNode> concat(ArrayNode first, ArrayNode second) {
        List<JsonNode> all = new ArrayList<>(list(first));
        all.addAll(list(second));
        return all;
    }

    static List<JsonNode> list(ArrayNode array) {
        List<JsonNode> items = new ArrayList<>(array.size());
        array.forEach(items::add);
        return items;
    }

    static ArrayNode toArray(List<JsonNode> items) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(items.size());
        items.forEach(array::add);
        return array;
    }
}
