package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.patch.JsonValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One step of a {@link FieldPath}: a field of an object, or an item of a list identified by its key
 * fields, its value (for sets) or its index.
 */
public sealed interface PathElement extends Comparable<PathElement> {

    /** The element's key in {@code fieldsV1}: {@code f:name}, {@code k:{"name":"x"}}, {@code v:"x"}, {@code i:0}. */
    String fieldsV1Key();

    /** A field of an object. */
    record Field(String name) implements PathElement {
        @Override
        public String fieldsV1Key() {
            return "f:" + name;
        }

        @Override
        public String toString() {
            return "." + name;
        }
    }

    /** An item of a list-map, by the values of its key fields (kept sorted by field name). */
    record Key(List<KeyField> fields) implements PathElement {
        public Key {
            fields = fields.stream()
                    .map(f -> new KeyField(f.name(), JsonValues.canonical(f.value())))
                    .sorted(Comparator.comparing(KeyField::name))
                    .toList();
        }

        @Override
        public String fieldsV1Key() {
            ObjectNode key = JsonNodeFactory.instance.objectNode();
            fields.forEach(f -> key.set(f.name(), f.value()));
            return "k:" + CompactJson.write(key);
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            fields.forEach(f -> parts.add(f.name() + "=" + CompactJson.write(f.value())));
            return "[" + String.join(",", parts) + "]";
        }
    }

    /** One key field of a {@link Key}. */
    record KeyField(String name, JsonNode value) {
    }

    /** An item of a set, by its value. */
    record Value(JsonNode value) implements PathElement {
        public Value {
            value = JsonValues.canonical(value);
        }

        @Override
        public String fieldsV1Key() {
            return "v:" + CompactJson.write(value);
        }

        @Override
        public String toString() {
            return "[=" + CompactJson.write(value) + "]";
        }
    }

    /** An item of a list, by position. */
    record Index(int index) implements PathElement {
        @Override
        public String fieldsV1Key() {
            return "i:" + index;
        }

        @Override
        public String toString() {
            return "[" + index + "]";
        }
    }

    /** Orders fields first (by name), then keys, values and indexes, as structured-merge-diff does. */
    @Override
    default int compareTo(PathElement other) {
        int kind = Integer.compare(kindRank(this), kindRank(other));
        if (kind != 0) {
            return kind;
        }
        return switch (this) {
            case Field f -> f.name().compareTo(((Field) other).name());
            case Key k -> compareKeys(k.fields(), ((Key) other).fields());
            case Value v -> ValueOrder.INSTANCE.compare(v.value(), ((Value) other).value());
            case Index i -> Integer.compare(i.index(), ((Index) other).index());
        };
    }

    private static int kindRank(PathElement element) {
        return switch (element) {
            case Field f -> 0;
            case Key k -> 1;
            case Value v -> 2;
            case Index i -> 3;
        };
    }

    private static int compareKeys(List<KeyField> a, List<KeyField> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).name().compareTo(b.get(i).name());
            if (c == 0) {
                c = ValueOrder.INSTANCE.compare(a.get(i).value(), b.get(i).value());
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Reads a {@code fieldsV1} key (other than {@code "."}). */
    static PathElement parseFieldsV1(String key) {
        if (key.length() < 2 || key.charAt(1) != ':') {
            throw new InvalidManagedFieldsException("invalid fieldsV1 key \"" + key + "\"");
        }
        String body = key.substring(2);
        return switch (key.charAt(0)) {
            case 'f' -> new Field(body);
            case 'v' -> new Value(CompactJson.read(body, key));
            case 'i' -> index(body, key);
            case 'k' -> key(CompactJson.read(body, key), key);
            default -> throw new InvalidManagedFieldsException("invalid fieldsV1 key \"" + key + "\"");
        };
    }

    private static Index index(String body, String key) {
        try {
            return new Index(Integer.parseInt(body));
        } catch (NumberFormatException e) {
            throw new InvalidManagedFieldsException("invalid fieldsV1 key \"" + key + "\": not an index");
        }
    }

    private static Key key(JsonNode fields, String key) {
        if (!fields.isObject() || fields.isEmpty()) {
            throw new InvalidManagedFieldsException("invalid fieldsV1 key \"" + key + "\": not a JSON object");
        }
        List<KeyField> keyFields = new ArrayList<>();
        fields.fields().forEachRemaining(f -> keyFields.add(new KeyField(f.getKey(), f.getValue())));
        return new Key(keyFields);
    }
}
