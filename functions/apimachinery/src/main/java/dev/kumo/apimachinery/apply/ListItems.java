package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.patch.schema.ListType;
import dev.kumo.apimachinery.patch.schema.SchemaNode;
import dev.kumo.apimachinery.patch.schema.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Identifies the items of a list the way server-side apply does: by their key fields in a list-map, by
 * their value in a set. Atomic lists have no item identities.
 */
final class ListItems {

    private ListItems() {
    }

    /**
     * The identity of each item of {@code list}, in order, or empty when the list is atomic. A list whose
     * items cannot all be identified (missing keys, duplicates, items of the wrong type) is treated as
     * atomic, unless {@code strict}, where it is rejected as a malformed apply configuration.
     */
    static Optional<List<PathElement>> identify(JsonNode list, SchemaNode node, boolean strict, FieldPath at) {
        if (!list.isArray() || node.shape() != Shape.LIST || node.listType() == ListType.ATOMIC) {
            return Optional.empty();
        }
        List<PathElement> identities = new ArrayList<>(list.size());
        Set<PathElement> seen = new HashSet<>();
        for (JsonNode item : list) {
            Identity identity = node.listType() == ListType.MAP ? byKeys(item, node) : byValue(item);
            if (identity.problem() != null || !seen.add(identity.element())) {
                if (strict) {
                    String problem = identity.problem() != null
                            ? identity.problem()
                            : "duplicate entries for key " + identity.element();
                    throw new MalformedApplyConfigurationException(at + ": " + problem);
                }
                return Optional.empty();
            }
            identities.add(identity.element());
        }
        return Optional.of(identities);
    }

    private record Identity(PathElement element, String problem) {
        static Identity of(PathElement element) {
            return new Identity(element, null);
        }

        static Identity invalid(String problem) {
            return new Identity(null, problem);
        }
    }

    private static Identity byKeys(JsonNode item, SchemaNode node) {
        if (!item.isObject()) {
            return Identity.invalid("associative list with keys may not have non-map elements");
        }
        List<String> keys = node.listMapKeys();
        if (keys.isEmpty()) {
            return Identity.invalid("associative list declares no keys");
        }
        List<PathElement.KeyField> fields = new ArrayList<>(keys.size());
        for (String key : keys) {
            JsonNode value = item.get(key);
            if (value == null) {
                value = node.items().field(key).defaultValue().orElse(null);
            }
            if (value == null) {
                return Identity.invalid("associative list with keys has an element that omits key field \""
                        + key + "\" (and doesn't have default value)");
            }
            if (!value.isValueNode() || value.isNull()) {
                return Identity.invalid("associative list key field \"" + key + "\" must be a scalar, not " + value);
            }
            fields.add(new PathElement.KeyField(key, value));
        }
        return Identity.of(new PathElement.Key(fields));
    }

    private static Identity byValue(JsonNode item) {
        if (!item.isValueNode() || item.isNull()) {
            return Identity.invalid("associative list without keys may only hold scalars, not " + item);
        }
        return Identity.of(new PathElement.Value(item));
    }
}
