package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.patch.schema.MapType;
import dev.kumo.apimachinery.patch.schema.SchemaNode;
import dev.kumo.apimachinery.patch.schema.Shape;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Removes what an applier stopped applying: fields and items it owned after its previous apply that
 * nobody (itself included, with its new configuration) owns any more.
 */
final class Pruner {

    private Pruner() {
    }

    /**
     * @param merged the live object with the new configuration merged in
     * @param previouslyApplied what the applier owned before this apply
     * @param owned what all managers own after this apply
     */
    static JsonNode prune(JsonNode merged, FieldSet previouslyApplied, FieldSet owned, SchemaNode root) {
        FieldSet orphans = withNamedFields(previouslyApplied, root).difference(withNamedFields(owned, root));
        return remove(merged, orphans, root, new FieldPath(java.util.List.of()));
    }

    /**
     * Adds as members the declared fields that have members below them, so that owning
     * {@code .spec.x.y} also keeps {@code .spec.x} (but owning a map entry's contents does not keep the entry).
     */
    static FieldSet withNamedFields(FieldSet set, SchemaNode node) {
        NavigableSet<PathElement> members = new TreeSet<>(set.members());
        Map<PathElement, FieldSet> children = new TreeMap<>();
        set.children().forEach((element, child) -> {
            SchemaNode childNode;
            if (element instanceof PathElement.Field field) {
                childNode = node.field(field.name());
                if (node.shape() == Shape.OBJECT && node.declares(field.name())) {
                    members.add(element);
                }
            } else {
                childNode = node.items();
            }
            children.put(element, withNamedFields(child, childNode));
        });
        return FieldSet.of(members, children);
    }

    /** {@code value} without the fields and items that are members of {@code toRemove}. */
    static JsonNode remove(JsonNode value, FieldSet toRemove, SchemaNode node, FieldPath path) {
        if (toRemove.isEmpty()) {
            return value;
        }
        if (value.isObject() && node.mapType() == MapType.GRANULAR) {
            ObjectNode kept = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                PathElement element = new PathElement.Field(field.getKey());
                if (!toRemove.members().contains(element)) {
                    kept.set(field.getKey(), remove(field.getValue(), toRemove.child(element),
                            node.field(field.getKey()), path.append(element)));
                }
            }
            return kept;
        }
        Optional<Map<PathElement, JsonNode>> items = value.isArray()
                ? ObjectComparator.items(value, node, path)
                : Optional.empty();
        if (items.isEmpty()) {
            return value;
        }
        ArrayNode kept = JsonNodeFactory.instance.arrayNode();
        items.get().forEach((element, item) -> {
            if (!toRemove.members().contains(element)) {
                kept.add(remove(item, toRemove.child(element), node.items(), path.append(element)));
            }
        });
        return kept;
    }
}
