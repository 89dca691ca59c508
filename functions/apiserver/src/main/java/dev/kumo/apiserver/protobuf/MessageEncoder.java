package dev.kumo.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.protobuf.schema.Cardinality;
import dev.kumo.apiserver.protobuf.schema.Field;
import dev.kumo.apiserver.protobuf.schema.MessageType;
import dev.kumo.apiserver.protobuf.schema.ProtoSchema;
import dev.kumo.apiserver.protobuf.schema.TypeName;
import dev.kumo.apiserver.protobuf.schema.ValueType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * JSON to protobuf. Fields absent or null in the JSON are left off the wire, which Go's decoder reads as the
 * zero value, as it would from JSON. A JSON field the schema does not have is an error rather than dropped, so
 * nothing kumo stores is lost silently on the way to a protobuf client.
 */
final class MessageEncoder {
    private final ProtoSchema schema;

    MessageEncoder(ProtoSchema schema) {
        this.schema = schema;
    }

    byte[] encodeObject(ObjectNode object) {
        TypeName type = new TypeName(requiredText(object, "apiVersion"), requiredText(object, "kind"));
        MessageType message = schema.kind(type).orElseThrow(() -> new ProtobufException(
                "no protobuf schema for " + type + ": not a kind kumo serves"));
        WireWriter raw = new WireWriter();
        encodeInto(message, object, raw, type.kind());
        return new Envelope(type, raw.toByteArray()).toBytes();
    }

    private void encodeInto(MessageType type, ObjectNode json, WireWriter out, String path) {
        rejectUnknownFields(type, json, path);
        writeFields(type, json, out, path);
    }

    private void writeFields(MessageType type, ObjectNode json, WireWriter out, String path) {
        for (Field field : type.fields()) {
            if (field.cardinality() == Cardinality.INLINE) {
                WireWriter inline = new WireWriter();
                writeFields(schema.message(field.message()), json, inline, path);
                if (!inline.isEmpty()) {
                    out.message(field.number(), inline);
                }
                continue;
            }
            JsonNode value = json.get(field.jsonName());
            if (value == null || value.isNull()) {
                continue;
            }
            String fieldPath = path + "." + field.jsonName();
            switch (field.cardinality()) {
                case SINGLE -> write(field.number(), field.type(), field.message(), value, out, fieldPath);
                case REPEATED -> writeRepeated(field, value, out, fieldPath);
                case MAP -> writeMap(field, value, out, fieldPath);
                case INLINE -> throw new IllegalStateException("inline fields are written above");
            }
        }
    }

    private void writeRepeated(Field field, JsonNode array, WireWriter out, String path) {
        if (!array.isArray()) {
            throw JsonValues.mismatch(path, "an array", array);
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            String elementPath = path + "[" + i + "]";
            if (element.isNull()) {
                throw new ProtobufException(elementPath + ": null is not allowed in a list");
            }
            write(field.number(), field.type(), field.message(), element, out, elementPath);
        }
    }

    /** Entries in key order, as Go's generated code writes maps, so the same object gives the same bytes. */
    private void writeMap(Field field, JsonNode map, WireWriter out, String path) {
        if (!map.isObject()) {
            throw JsonValues.mismatch(path, "an object", map);
        }
        List<String> keys = new ArrayList<>();
        map.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        for (String key : keys) {
            JsonNode value = map.get(key);
            String entryPath = path + "[" + key + "]";
            if (value.isNull()) {
                throw new ProtobufException(entryPath + ": null is not allowed as a map value");
            }
            WireWriter entry = new WireWriter();
            entry.string(1, key);
            write(2, field.type(), field.message(), value, entry, entryPath);
            out.message(field.number(), entry);
        }
    }

    private void write(int number, ValueType type, int message, JsonNode value, WireWriter out, String path) {
        switch (type) {
            case STRING -> out.string(number, JsonValues.text(value, path));
            case BOOL -> {
                if (!value.isBoolean()) {
                    throw JsonValues.mismatch(path, "a boolean", value);
                }
                out.varint(number, value.booleanValue() ? 1 : 0);
            }
            case INT32 -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw JsonValues.mismatch(path, "a 32-bit integer", value);
                }
                out.varint(number, value.intValue());
            }
            case INT64 -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw JsonValues.mismatch(path, "a 64-bit integer", value);
                }
                out.varint(number, value.longValue());
            }
            case BYTES -> out.bytes(number, base64(value, path));
            case MESSAGE -> {
                if (!value.isObject()) {
                    throw JsonValues.mismatch(path, "an object", value);
                }
                WireWriter nested = new WireWriter();
                encodeInto(schema.message(message), (ObjectNode) value, nested, path);
                out.message(number, nested);
            }
            case TIME, MICRO_TIME, QUANTITY, INT_OR_STRING, RAW_EXTENSION, FIELDS_V1, STRING_LIST ->
                    out.message(number, CustomTypes.write(type, value, path));
        }
    }

    /** apiVersion and kind belong to TypeMeta, which protobuf carries in the envelope only (list items have them too). */
    private void rejectUnknownFields(MessageType type, ObjectNode json, String path) {
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!accepts(type, name) && !name.equals("apiVersion") && !name.equals("kind")) {
                throw new ProtobufException(path + "." + name + ": no such field in " + type.name());
            }
        }
    }

    private boolean accepts(MessageType type, String name) {
        for (Field field : type.fields()) {
            boolean accepted = field.cardinality() == Cardinality.INLINE
                    ? accepts(schema.message(field.message()), name)
                    : field.jsonName().equals(name);
            if (accepted) {
                return true;
            }
        }
        return false;
    }

    private static byte[] base64(JsonNode value, String path) {
        try {
            return Base64.getDecoder().decode(JsonValues.text(value, path));
        } catch (IllegalArgumentException e) {
            throw new ProtobufException(path + ": not base64: " + e.getMessage(), e);
        }
    }


    private static String requiredText(ObjectNode object, String name) {
        JsonNode value = object.get(name);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new ProtobufException("the object has no " + name + ": protobuf needs apiVersion and kind");
        }
        return value.textValue();
    }


}
