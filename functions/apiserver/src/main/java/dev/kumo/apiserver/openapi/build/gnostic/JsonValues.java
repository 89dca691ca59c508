package dev.kumo.apiserver.openapi.build.gnostic;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed access to JSON values, failing with the value's location when the document has another type. */
final class JsonValues {
    private JsonValues() {
    }

    static String text(JsonNode value, String at) {
        return require(value, value.isTextual(), "a string", at).asText();
    }

    static boolean bool(JsonNode value, String at) {
        return require(value, value.isBoolean(), "a boolean", at).asBoolean();
    }

    static long integer(JsonNode value, String at) {
        return require(value, value.isIntegralNumber() && value.canConvertToLong(), "an integer", at).asLong();
    }

    static double number(JsonNode value, String at) {
        return require(value, value.isNumber(), "a number", at).asDouble();
    }

    static JsonNode object(JsonNode value, String at) {
        return require(value, value.isObject(), "an object", at);
    }

    static JsonNode array(JsonNode value, String at) {
        return require(value, value.isArray(), "an array", at);
    }

    static String child(String at, String key) {
        return at + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    static String child(String at, int index) {
        return at + "/" + index;
    }

    private static JsonNode require(JsonNode value, boolean ok, String expected, String at) {
        if (!ok) {
            throw new IllegalArgumentException("expected " + expected + " at " + (at.isEmpty() ? "/" : at)
                    + ", found " + value.getNodeType());
        }
        return value;
    }
}
