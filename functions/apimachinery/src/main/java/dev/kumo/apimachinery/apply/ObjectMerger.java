package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.patch.schema.MapType;
import dev.kumo.apimachinery.patch.schema.SchemaNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Merges an apply configuration into a live object as structured-merge-diff does: the configuration's
 * values win; granular maps merge field by field; sets and list-maps merge item by item (the
 * configuration's order first, live-only items kept near their neighbours); atomic values are replaced.
 */
final class ObjectMerger {

    private ObjectMerger() {
    }

    /** The merge of {@code rhs} into {@code lhs}; either may be null (absent). Inputs are not modified. */
    static JsonNode merge(JsonNode lhs, JsonNode rhs, SchemaNode node, FieldPath path) {
        if (rhs == null) {
            return lhs == null ? null : lhs.deepCopy();
        }
        if (lhs == null) {
            return rhs.deepCopy();
        }
        if (lhs.isObject() && rhs.isObject() && node.mapType() == MapType.GRANULAR) {
            return mergeObjects(lhs, rhs, node, path);
        }
        if (lhs.isArray() && rhs.isArray()) {
            Optional<Map<PathElement, JsonNode>> lhsItems = ObjectComparator.items(lhs, node, path);
            Optional<Map<PathElement, JsonNode>> rhsItems = ObjectComparator.items(rhs, node, path);
            if (lhsItems.isPresent() && rhsItems.isPresent()) {
                return mergeLists(lhsItems.get(), rhsItems.get(), node.items(), path);
            }
        }
        return rhs.deepCopy();
    }

    private static ObjectNode mergeObjects(JsonNode lhs, JsonNode rhs, SchemaNode node, FieldPath path) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = lhs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            merged.set(name, merge(field.getValue(), rhs.get(name), node.field(name),
                    path.append(new PathElement.Field(name))));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = rhs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!merged.has(field.getKey())) {
                merged.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return merged;
    }

    /**
     * Walks both lists together: shared items are merged where the configuration places them, live-only
     * items are emitted where they stand, configuration-only items where the configuration has them.
     */
    private static ArrayNode mergeLists(Map<PathElement, JsonNode> lhs, Map<PathElement, JsonNode> rhs,
                                        SchemaNode items, FieldPath path) {
        List<PathElement> lhsOrder = List.copyOf(lhs.keySet());
        List<PathElement> rhsOrder = List.copyOf(rhs.keySet());
        Iterator<PathElement> shared = rhsOrder.stream().filter(lhs::containsKey).toList().iterator();
        PathElement nextShared = shared.hasNext() ? shared.next() : null;
        Set<PathElement> emitted = new HashSet<>();
        List<JsonNode> out = new ArrayList<>();
        int l = 0;
        int r = 0;
        while (l < lhsOrder.size() || r < rhsOrder.size()) {
            if (l < lhsOrder.size() && r < rhsOrder.size()) {
                PathElement left = lhsOrder.get(l);
                if (left.equals(rhsOrder.get(r))) {
                    out.add(merge(lhs.get(left), rhs.get(left), items, path.append(left)));
                    emitted.add(left);
                    l++;
                    r++;
                    nextShared = shared.hasNext() ? shared.next() : null;
                    continue;
                }
                if (rhs.containsKey(left) && nextShared != null && !nextShared.equals(left)) {
                    l++;
                    continue;
                }
            }
            if (l < lhsOrder.size()) {
                PathElement left = lhsOrder.get(l);
                if (!rhs.containsKey(left) || emitted.contains(left)) {
                    if (!emitted.contains(left)) {
                        out.add(lhs.get(left).deepCopy());
                    }
                    l++;
                    continue;
                }
            }
            if (r < rhsOrder.size()) {
                PathElement right = rhsOrder.get(r);
                out.add(merge(lhs.get(right), rhs.get(right), items, path.append(right)));
                emitted.add(right);
                r++;
                if (right.equals(nextShared)) {
                    nextShared = shared.hasNext() ? shared.next() : null;
                }
            } else {
                l++;
            }
        }
        ArrayNode merged = JsonNodeFactory.instance.arrayNode(out.size());
        out.forEach(merged::add);
        return merged;
    }
}
