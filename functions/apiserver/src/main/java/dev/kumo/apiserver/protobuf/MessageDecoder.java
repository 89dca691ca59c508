package dev.kumo.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.protobuf.schema.Field;
import dev.kumo.apiserver.protobuf.schema.MessageType;
import dev.kumo.apiserver.protobuf.schema.ProtoSchema;
import dev.kumo.apiserver.protobuf.schema.ValueType;
import java.util.Base64;

/**
 * Protobuf to JSON, giving the JSON Go's encoding/json would give for the object Go's protobuf decoder reads:
 * fields absent on the wire stay absent, and zero scalars are dropped where Go's field is {@code omitempty}.
 */
final class MessageDecoder {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ProtoSchema schema;

    MessageDecoder(ProtoSchema schema) {
        this.schema = schema;
    }

    /** An enveloped object, with apiVersion and kind from the envelope. */
    ObjectNode decodeObject(byte[] body) {
        Envelope envelope = Envelope.parse(body);
        MessageType type = schema.kind(envelope.type()).orElseThrow(() -> new ProtobufException(
                "no protobuf schema for " + envelope.type() + ": not a kind kumo serves"));
        ObjectNode object = NODES.objectNode();
        object.put("apiVersion", envelope.type().apiVersion());
        object.put("kind", envelope.type().kind());
        decodeInto(type, new WireReader(envelope.raw()), object, envelope.type().kind());
        return object;
    }

    private void decodeInto(MessageType type, WireReader in, ObjectNode target, String path) {
        while (!in.atEnd()) {
            WireReader.Tag tag = in.tag();
            Field field = type.field(tag.fieldNumber());
            if (field == null) {
                // A field newer than the pinned release: kube-apiserver of that release drops it the same way.
                in.skip(tag.wireType());
                continue;
            }
            String fieldPath = path + "." + field.jsonName();
            switch (field.cardinality()) {
                case INLINE -> {
                    tag.expect(WireReader.LENGTH_DELIMITED, fieldPath);
                    decodeInto(schema.message(field.message()), in.message(), target, path);
                }
                case SINGLE -> decodeSingle(field, tag, in, target, fieldPath);
                case REPEATED -> decodeRepeated(field, tag, in, target.withArrayProperty(field.jsonName()), fieldPath);
                case MAP -> decodeMapEntry(field, tag, in, target.withObjectProperty(field.jsonName()), fieldPath);
            }
        }
    }

    private void decodeSingle(Field field, WireReader.Tag tag, WireReader in, ObjectNode target, String path) {
        if (field.type() == ValueType.MESSAGE) {
            // A message field seen twice is merged, as protobuf decoders do.
            tag.expect(WireReader.LENGTH_DELIMITED, path);
            ObjectNode existing = target.get(field.jsonName()) instanceof ObjectNode object
                    ? object : target.putObject(field.jsonName());
            decodeInto(schema.message(field.message()), in.message(), existing, path);
            return;
        }
        JsonNode value = value(field.type(), field.message(), tag, in, path);
        if (value == null || (!field.keepsZero() && isZeroScalar(field.type(), value))) {
            target.remove(field.jsonName());
        } else {
            target.set(field.jsonName(), value);
        }
    }

    private void decodeRepeated(Field field, WireReader.Tag tag, WireReader in, ArrayNode target, String path) {
        String elementPath = path + "[" + target.size() + "]";
        if (isVarint(field.type()) && tag.wireType() == WireReader.LENGTH_DELIMITED) {
            // Packed: Go writes these unpacked, but every protobuf decoder must accept both.
            WireReader packed = in.message();
            while (!packed.atEnd()) {
                target.add(varintValue(field.type(), packed.varint()));
            }
            return;
        }
        JsonNode value = value(field.type(), field.message(), tag, in, elementPath);
        target.add(value == null ? NODES.nullNode() : value);
    }

    private void decodeMapEntry(Field field, WireReader.Tag tag, WireReader in, ObjectNode target, String path) {
        tag.expect(WireReader.LENGTH_DELIMITED, path);
        WireReader entry = in.message();
        String key = "";
        JsonNode value = null;
        while (!entry.atEnd()) {
            WireReader.Tag entryTag = entry.tag();
            switch (entryTag.fieldNumber()) {
                case 1 -> {
                    entryTag.expect(WireReader.LENGTH_DELIMITED, path + " (map key)");
                    key = entry.string();
                }
                case 2 -> value = value(field.type(), field.message(), entryTag, entry, path + "[" + key + "]");
                default -> entry.skip(entryTag.wireType());
            }
        }
        target.set(key, value == null ? zeroValue(field.type()) : value);
    }

    /** One value; null where Go's JSON shows null (an unset time, an empty raw extension). */
    private JsonNode value(ValueType type, int message, WireReader.Tag tag, WireReader in, String path) {
        if (isVarint(type)) {
            tag.expect(WireReader.VARINT, path);
            return varintValue(type, in.varint());
        }
        tag.expect(WireReader.LENGTH_DELIMITED, path);
        return switch (type) {
            case STRING -> NODES.textNode(in.string());
            case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(in.bytes()));
            case MESSAGE -> {
                ObjectNode object = NODES.objectNode();
                decodeInto(schema.message(message), in.message(), object, path);
                yield object;
            }
            case TIME, MICRO_TIME, QUANTITY, INT_OR_STRING, RAW_EXTENSION, FIELDS_V1, STRING_LIST ->
                    CustomTypes.read(type, in.message(), path, this::decodeObject);
            case BOOL, INT32, INT64 -> throw new IllegalStateException("varint types are handled above");
        };
    }

    private static JsonNode varintValue(ValueType type, long varint) {
        return switch (type) {
            case BOOL -> NODES.booleanNode(varint != 0);
            case INT32 -> NODES.numberNode((int) varint);
            case INT64 -> varint == (int) varint ? NODES.numberNode((int) varint) : NODES.numberNode(varint);
            default -> throw new IllegalStateException(type + " is not a varint type");
        };
    }

    private static boolean isVarint(ValueType type) {
        return type == ValueType.BOOL || type == ValueType.INT32 || type == ValueType.INT64;
    }

    private static boolean isZeroScalar(ValueType type, JsonNode value) {
        return switch (type) {
            case STRING, BYTES -> value.textValue().isEmpty();
            case BOOL -> !value.booleanValue();
            case INT32, INT64 -> value.longValue() == 0;
            default -> false;
        };
    }

    /** A map value missing from its entry is the type's zero value, as in Go. */
    private static JsonNode zeroValue(ValueType type) {
        return switch (type) {
            case STRING, BYTES -> NODES.textNode("");
            case BOOL -> NODES.booleanNode(false);
            case INT32, INT64, INT_OR_STRING -> NODES.numberNode(0);
            case QUANTITY -> NODES.textNode("0");
            case MESSAGE -> NODES.objectNode();
            case TIME, MICRO_TIME, RAW_EXTENSION, FIELDS_V1 -> NODES.nullNode();
            case STRING_LIST -> NODES.arrayNode();
        };
    }
}
