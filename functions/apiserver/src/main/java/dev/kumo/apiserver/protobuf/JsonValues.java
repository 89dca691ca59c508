package dev.kumo.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Checks on JSON values being written, with errors that say where and what was found. */
final class JsonValues {
    private JsonValues() {
    }

    static String text(JsonNode value, String path) {
        if (!value.isTextual()) {
            throw mismatch(path, "a string", value);
        }
        return value.textValue();
    }

    static ProtobufException mismatch(String path, String expected, JsonNode actual) {
        String found = actual.toString();
        return new ProtobufException(path + ": expected " + expected + ", got "
                + actual.getNodeType().name().toLowerCase(Locale.ROOT) + " "
                + (found.length() <= 60 ? found : found.substring(0, 57) + "..."));
    }
}
