package dev.kumo.apiserver.openapi.build.gnostic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A message whose JSON form is an object with one property per field, as most of {@code OpenAPIv2.proto}: the
 * property names and field numbers, written in field-number order as Go's protobuf does. Properties starting
 * with {@code x-} go to the message's {@code vendor_extension} field; any other unknown property is an error.
 */
final class MessageLayout implements MessageEncoder {
    private enum Kind { STRING, BOOL, INT64, DOUBLE, STRINGS, MESSAGE, MESSAGES, VENDOR_EXTENSIONS }

    private record Field(String key, int number, Kind kind, String type) {
    }

    private final String name;
    private final List<Field> fields;
    private final Map<String, Field> byKey;
    private final boolean hasVendorExtensions;

    private MessageLayout(String name, List<Field> fields) {
        this.name = name;
        this.fields = fields.stream().sorted(Comparator.comparingInt(Field::number)).toList();
        this.byKey = new HashMap<>();
        fields.stream().filter(field -> field.key() != null).forEach(field -> byKey.put(field.key(), field));
        this.hasVendorExtensions = fields.stream().anyMatch(field -> field.kind() == Kind.VENDOR_EXTENSIONS);
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    @Override
    public void encode(JsonNode json, String at, ProtoWriter out, Messages messages) {
        JsonValues.object(json, at).fieldNames().forEachRemaining(key -> {
            if (!byKey.containsKey(key) && !(hasVendorExtensions && key.startsWith("x-"))) {
                throw new IllegalArgumentException("property " + key + " at " + at + " is not part of " + name);
            }
        });
        for (Field field : fields) {
            if (field.kind() == Kind.VENDOR_EXTENSIONS) {
                writeVendorExtensions(json, at, field.number(), out, messages);
            } else if (json.has(field.key())) {
                write(field, json.get(field.key()), JsonValues.child(at, field.key()), out, messages);
            }
        }
    }

    private static void write(Field field, JsonNode value, String at, ProtoWriter out, Messages messages) {
        int number = field.number();
        switch (field.kind()) {
            case STRING -> out.string(number, JsonValues.text(value, at));
            case BOOL -> out.bool(number, JsonValues.bool(value, at));
            case INT64 -> out.int64(number, JsonValues.integer(value, at));
            case DOUBLE -> out.doubleValue(number, JsonValues.number(value, at));
            case STRINGS -> {
                JsonNode array = JsonValues.array(value, at);
                for (int i = 0; i < array.size(); i++) {
                    out.repeatedString(number, JsonValues.text(array.get(i), JsonValues.child(at, i)));
                }
            }
            case MESSAGE -> out.message(number, messages.encode(field.type(), value, at));
            case MESSAGES -> {
                JsonNode array = JsonValues.array(value, at);
                for (int i = 0; i < array.size(); i++) {
                    out.message(number, messages.encode(field.type(), array.get(i), JsonValues.child(at, i)));
                }
            }
            case VENDOR_EXTENSIONS -> throw new IllegalStateException("vendor extensions have no single property");
        }
    }

    private static void writeVendorExtensions(JsonNode json, String at, int number, ProtoWriter out, Messages messages) {
        json.properties().forEach(property -> {
            if (property.getKey().startsWith("x-")) {
                out.message(number, messages.named(property.getKey(), "Any", property.getValue(),
                        JsonValues.child(at, property.getKey())));
            }
        });
    }

    static final class Builder {
        private final String name;
        private final List<Field> fields = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        Builder string(String key, int number) {
            return add(key, number, Kind.STRING, null);
        }

        Builder bool(String key, int number) {
            return add(key, number, Kind.BOOL, null);
        }

        Builder int64(String key, int number) {
            return add(key, number, Kind.INT64, null);
        }

        Builder doubleValue(String key, int number) {
            return add(key, number, Kind.DOUBLE, null);
        }

        Builder strings(String key, int number) {
            return add(key, number, Kind.STRINGS, null);
        }

        Builder message(String key, int number, String type) {
            return add(key, number, Kind.MESSAGE, type);
        }

        Builder messages(String key, int number, String type) {
            return add(key, number, Kind.MESSAGES, type);
        }

        /** A {@code google.protobuf}-free gnostic {@code Any}: the value as YAML text. */
        Builder any(String key, int number) {
            return message(key, number, "Any");
        }

        Builder anys(String key, int number) {
            return messages(key, number, "Any");
        }

        MessageLayout vendorExtensions(int number) {
            add(null, number, Kind.VENDOR_EXTENSIONS, null);
            return build();
        }

        MessageLayout build() {
            return new MessageLayout(name, fields);
        }

        private Builder add(String key, int number, Kind kind, String type) {
            fields.add(new Field(key, number, kind, type));
            return this;
        }
    }
}
