package dev.kumo.apiserver.protobuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.protobuf.schema.ValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.function.Function;

/**
 * The Kubernetes types whose JSON is not their proto form (Go types with their own MarshalJSON): Time,
 * MicroTime, Quantity, IntOrString, RawExtension and FieldsV1, each read from and written to its small message.
 */
final class CustomTypes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CustomTypes() {
    }

    /**
     * One value's JSON, or null where Go's JSON shows null (an unset time, an empty raw extension).
     *
     * @param protobufObject decodes an enveloped protobuf object held in a RawExtension
     */
    static JsonNode read(ValueType type, WireReader message, String path, Function<byte[], ObjectNode> protobufObject) {
        return switch (type) {
            case TIME, MICRO_TIME -> readTime(type, message, path);
            case QUANTITY -> readQuantity(message, path);
            case INT_OR_STRING -> readIntOrString(message, path);
            case RAW_EXTENSION -> readEmbedded(message, protobufObject, path);
            case FIELDS_V1 -> readEmbedded(message, null, path);
            case STRING_LIST -> readStringList(message, path);
            default -> throw new IllegalArgumentException(type + " is no custom type");
        };
    }

    /** One value's message. */
    static WireWriter write(ValueType type, JsonNode value, String path) {
        return switch (type) {
            case TIME, MICRO_TIME -> writeTime(type, value, path);
            case QUANTITY -> writeQuantity(value, path);
            case INT_OR_STRING -> writeIntOrString(value, path);
            case RAW_EXTENSION, FIELDS_V1 -> writeEmbedded(type, value, path);
            case STRING_LIST -> writeStringList(value, path);
            default -> throw new IllegalArgumentException(type + " is no custom type");
        };
    }

    /** A {@code +protobuf.nullable} string list: its items field, as the bare JSON array. */
    private static JsonNode readStringList(WireReader list, String path) {
        com.fasterxml.jackson.databind.node.ArrayNode items = NODES.arrayNode();
        while (!list.atEnd()) {
            WireReader.Tag tag = list.tag();
            if (tag.fieldNumber() == 1) {
                tag.expect(WireReader.LENGTH_DELIMITED, path + "[" + items.size() + "]");
                items.add(list.string());
            } else {
                list.skip(tag.wireType());
            }
        }
        return items;
    }

    private static WireWriter writeStringList(JsonNode value, String path) {
        if (!value.isArray()) {
            throw JsonValues.mismatch(path, "an array", value);
        }
        WireWriter list = new WireWriter();
        for (int i = 0; i < value.size(); i++) {
            list.string(1, JsonValues.text(value.get(i), path + "[" + i + "]"));
        }
        return list;
    }

    /** Time keeps whole seconds and MicroTime microseconds, as their Go Unmarshal do. */
    private static JsonNode readTime(ValueType type, WireReader timestamp, String path) {
        if (timestamp.atEnd()) {
            return null;
        }
        long seconds = 0;
        long nanos = 0;
        while (!timestamp.atEnd()) {
            WireReader.Tag tag = timestamp.tag();
            switch (tag.fieldNumber()) {
                case 1 -> {
                    tag.expect(WireReader.VARINT, path + ".seconds");
                    seconds = timestamp.varint();
                }
                case 2 -> {
                    tag.expect(WireReader.VARINT, path + ".nanos");
                    nanos = (int) timestamp.varint();
                }
                default -> timestamp.skip(tag.wireType());
            }
        }
        Instant instant = type == ValueType.TIME
                ? Instant.ofEpochSecond(seconds)
                : Instant.ofEpochSecond(seconds, nanos - nanos % 1000);
        if (instant.equals(Timestamps.GO_ZERO)) {
            return null;
        }
        return NODES.textNode(type == ValueType.TIME ? Timestamps.formatTime(instant) : Timestamps.formatMicroTime(instant));
    }

    private static JsonNode readQuantity(WireReader quantity, String path) {
        String text = "";
        while (!quantity.atEnd()) {
            WireReader.Tag tag = quantity.tag();
            if (tag.fieldNumber() == 1) {
                tag.expect(WireReader.LENGTH_DELIMITED, path);
                text = quantity.string();
            } else {
                quantity.skip(tag.wireType());
            }
        }
        // The zero Quantity's JSON is "0".
        return NODES.textNode(text.isEmpty() ? "0" : text);
    }

    private static JsonNode readIntOrString(WireReader intOrString, String path) {
        long type = 0;
        int intVal = 0;
        String strVal = "";
        while (!intOrString.atEnd()) {
            WireReader.Tag tag = intOrString.tag();
            switch (tag.fieldNumber()) {
                case 1 -> {
                    tag.expect(WireReader.VARINT, path + ".type");
                    type = intOrString.varint();
                }
                case 2 -> {
                    tag.expect(WireReader.VARINT, path + ".intVal");
                    intVal = (int) intOrString.varint();
                }
                case 3 -> {
                    tag.expect(WireReader.LENGTH_DELIMITED, path + ".strVal");
                    strVal = intOrString.string();
                }
                default -> intOrString.skip(tag.wireType());
            }
        }
        if (type == 0) {
            return NODES.numberNode(intVal);
        }
        if (type == 1) {
            return NODES.textNode(strVal);
        }
        throw new ProtobufException(path + ": IntOrString type " + type + " is neither 0 (int) nor 1 (string)");
    }

    /**
     * RawExtension and FieldsV1 hold JSON text; a RawExtension may instead hold a protobuf object (watch events,
     * lists of mixed kinds), which becomes its JSON.
     */
    private static JsonNode readEmbedded(WireReader message, Function<byte[], ObjectNode> protobufObject, String path) {
        byte[] raw = new byte[0];
        while (!message.atEnd()) {
            WireReader.Tag tag = message.tag();
            if (tag.fieldNumber() == 1) {
                tag.expect(WireReader.LENGTH_DELIMITED, path);
                raw = message.bytes();
            } else {
                message.skip(tag.wireType());
            }
        }
        if (raw.length == 0) {
            return null;
        }
        if (protobufObject != null && Envelope.hasMagic(raw)) {
            return protobufObject.apply(raw);
        }
        try {
            return JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new ProtobufException(path + ": the embedded bytes are not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Time keeps whole seconds and MicroTime microseconds; Go's zero time is an empty message. */
    private static WireWriter writeTime(ValueType type, JsonNode value, String path) {
        Instant instant = Timestamps.parse(JsonValues.text(value, path), path);
        WireWriter timestamp = new WireWriter();
        if (instant.equals(Timestamps.GO_ZERO)) {
            return timestamp;
        }
        timestamp.varint(1, instant.getEpochSecond());
        int nanos = type == ValueType.TIME ? 0 : instant.getNano() - instant.getNano() % 1000;
        timestamp.varint(2, nanos);
        return timestamp;
    }

    /** Kept as written: canonicalizing quantities (e.g. "1000m" to "1") is for whoever stores them. */
    private static WireWriter writeQuantity(JsonNode value, String path) {
        if (!value.isTextual() && !value.isNumber()) {
            throw JsonValues.mismatch(path, "a quantity (string or number)", value);
        }
        WireWriter quantity = new WireWriter();
        quantity.string(1, value.asText());
        return quantity;
    }

    /** All three fields, as Go writes them. */
    private static WireWriter writeIntOrString(JsonNode value, String path) {
        WireWriter intOrString = new WireWriter();
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            intOrString.varint(1, 0);
            intOrString.varint(2, value.intValue());
            intOrString.string(3, "");
        } else if (value.isTextual()) {
            intOrString.varint(1, 1);
            intOrString.varint(2, 0);
            intOrString.string(3, value.textValue());
        } else {
            throw JsonValues.mismatch(path, "a 32-bit integer or a string", value);
        }
        return intOrString;
    }

    private static WireWriter writeEmbedded(ValueType type, JsonNode value, String path) {
        if (type == ValueType.FIELDS_V1 && !value.isObject()) {
            throw JsonValues.mismatch(path, "an object", value);
        }
        WireWriter embedded = new WireWriter();
        try {
            embedded.bytes(1, JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new ProtobufException(path + ": cannot write the embedded JSON: " + e.getOriginalMessage(), e);
        }
        return embedded;
    }
}
