package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.patch.JsonValues;
import dev.kumo.apimachinery.patch.schema.MapType;
import dev.kumo.apimachinery.patch.schema.SchemaNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares two versions of an object field by field, as structured-merge-diff does: leaves (scalars,
 * atomic values, empty containers) are added, modified or removed; a map or list item that appears or
 * disappears is itself added or removed along with what is inside it.
 */
final class ObjectComparator {

    private final FieldSet.Builder added = new FieldSet.Builder();
    private final FieldSet.Builder modified = new FieldSet.Builder();
    private final FieldSet.Builder removed = new FieldSet.Builder();

    private ObjectComparator() {
    }

    static Comparison compare(JsonNode before, JsonNode after, SchemaNode root) {
        ObjectComparator comparator = new ObjectComparator();
        comparator.compare(before, after, root, new FieldPath(List.of()));
        return new Comparison(comparator.added.build(), comparator.modified.build(), comparator.removed.build());
    }

    /** {@code lhs} and {@code rhs} are null where the value is absent. */
    private void compare(JsonNode lhs, JsonNode rhs, SchemaNode node, FieldPath path) {
        if (lhs == null && rhs == null) {
            return;
        }
        if (isObjectPair(lhs, rhs, node) && !(isEmpty(lhs) && isEmpty(rhs))) {
            compareObjects(lhs, rhs, node, path);
            containerAddedOrRemoved(lhs, rhs, path);
            return;
        }
        Optional<Map<PathElement, JsonNode>> lhsItems = items(lhs, node, path);
        Optional<Map<PathElement, JsonNode>> rhsItems = items(rhs, node, path);
        if (isListPair(lhs, rhs) && lhsItems.isPresent() && rhsItems.isPresent()
                && !(isEmpty(lhs) && isEmpty(rhs))) {
            Set<PathElement> all = new LinkedHashSet<>(lhsItems.get().keySet());
            all.addAll(rhsItems.get().keySet());
            for (PathElement item : all) {
                compare(lhsItems.get().get(item), rhsItems.get().get(item), node.items(), path.append(item));
            }
            containerAddedOrRemoved(lhs, rhs, path);
            return;
        }
        leaf(lhs, rhs, path);
    }

    private void compareObjects(JsonNode lhs, JsonNode rhs, SchemaNode node, FieldPath path) {
        Set<String> names = new LinkedHashSet<>();
        if (lhs != null) {
            lhs.fieldNames().forEachRemaining(names::add);
        }
        if (rhs != null) {
            rhs.fieldNames().forEachRemaining(names::add);
        }
        for (String name : names) {
            JsonNode left = lhs == null ? null : lhs.get(name);
            JsonNode right = rhs == null ? null : rhs.get(name);
            compare(left, right, node.field(name), path.append(new PathElement.Field(name)));
        }
    }

    private void containerAddedOrRemoved(JsonNode lhs, JsonNode rhs, FieldPath path) {
        if (lhs == null) {
            added.insert(path);
        } else if (rhs == null) {
            removed.insert(path);
        }
    }

    private void leaf(JsonNode lhs, JsonNode rhs, FieldPath path) {
        if (lhs == null) {
            added.insert(path);
        } else if (rhs == null) {
            removed.insert(path);
        } else if (!JsonValues.equal(lhs, rhs)) {
            modified.insert(path);
        }
    }

    /** Both sides are objects (or absent or null, but not both) merged field by field. */
    private static boolean isObjectPair(JsonNode lhs, JsonNode rhs, SchemaNode node) {
        return node.mapType() == MapType.GRANULAR && objectOrNothing(lhs) && objectOrNothing(rhs)
                && (isObject(lhs) || isObject(rhs));
    }

    private static boolean isListPair(JsonNode lhs, JsonNode rhs) {
        return arrayOrNothing(lhs) && arrayOrNothing(rhs)
                && ((lhs != null && lhs.isArray()) || (rhs != null && rhs.isArray()));
    }

    private static boolean isObject(JsonNode value) {
        return value != null && value.isObject();
    }

    private static boolean objectOrNothing(JsonNode value) {
        return value == null || value.isNull() || value.isObject();
    }

    private static boolean arrayOrNothing(JsonNode value) {
        return value == null || value.isNull() || value.isArray();
    }

    private static boolean isEmpty(JsonNode value) {
        return value == null || value.isNull() || value.isEmpty();
    }

    /** The identified items of a granular list (none for absent or null); empty if the list is atomic. */
    static Optional<Map<PathElement, JsonNode>> items(JsonNode list, SchemaNode node, FieldPath path) {
        if (list == null || list.isNull()) {
            return Optional.of(Map.of());
        }
        return ListItems.identify(list, node, false, path).map(ids -> {
            Map<PathElement, JsonNode> items = new LinkedHashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                items.put(ids.get(i), list.get(i));
            }
            return items;
        });
    }
}
