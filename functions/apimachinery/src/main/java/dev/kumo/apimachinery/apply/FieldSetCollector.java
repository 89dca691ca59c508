package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.patch.schema.MapType;
import dev.kumo.apimachinery.patch.schema.SchemaNode;
import dev.kumo.apimachinery.patch.schema.Shape;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields an apply configuration sets, which its applier will own: every scalar, every atomic list or
 * map as a whole, every item of a set or list-map, and every map entry that is not a declared field.
 * Items that cannot be identified are rejected.
 */
final class FieldSetCollector {

    private final FieldSet.Builder fields = new FieldSet.Builder();

    private FieldSetCollector() {
    }

    static FieldSet collect(JsonNode object, SchemaNode root) {
        FieldSetCollector collector = new FieldSetCollector();
        collector.walk(object, root, new FieldPath(List.of()));
        return collector.fields.build();
    }

    private void walk(JsonNode value, SchemaNode node, FieldPath path) {
        if (value.isNull()) {
            if (node.shape() != Shape.OBJECT && node.shape() != Shape.LIST) {
                fields.insert(path);
            }
        } else if (value.isObject()) {
            walkObject(value, node, path);
        } else if (value.isArray()) {
            walkList(value, node, path);
        } else {
            fields.insert(path);
        }
    }

    private void walkObject(JsonNode object, SchemaNode node, FieldPath path) {
        if (node.mapType() == MapType.ATOMIC) {
            fields.insert(path);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            FieldPath child = path.append(new PathElement.Field(field.getKey()));
            walk(field.getValue(), node.field(field.getKey()), child);
            if (!node.declares(field.getKey())) {
                fields.insert(child);
            }
        }
    }

    private void walkList(JsonNode list, SchemaNode node, FieldPath path) {
        Optional<List<PathElement>> items = ListItems.identify(list, node, true, path);
        if (items.isEmpty()) {
            fields.insert(path);
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            FieldPath item = path.append(items.get().get(i));
            walk(list.get(i), node.items(), item);
            fields.insert(item);
        }
    }
}
