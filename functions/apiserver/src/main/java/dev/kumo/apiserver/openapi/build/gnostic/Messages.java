package dev.kumo.apiserver.openapi.build.gnostic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The encoders of a set of message types, by type name; they refer to one another by name. */
final class Messages {
    private final Map<String, MessageEncoder> byType;

    Messages(Map<String, MessageEncoder> byType) {
        this.byType = Map.copyOf(byType);
    }

    ProtoWriter encode(String type, JsonNode json, String at) {
        MessageEncoder encoder = byType.get(type);
        if (encoder == null) {
            throw new IllegalStateException("no encoder for message type " + type);
        }
        ProtoWriter out = new ProtoWriter();
        encoder.encode(json, at, out, this);
        return out;
    }

    /** A gnostic {@code Named<Type>}: {@code name = 1} and the value, a message of {@code type}, {@code = 2}. */
    ProtoWriter named(String name, String type, JsonNode value, String at) {
        ProtoWriter named = new ProtoWriter();
        named.string(1, name);
        named.message(2, encode(type, value, at));
        return named;
    }
}
