package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Compact JSON text, as the keys of {@code fieldsV1} and path strings use. */
final class CompactJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CompactJson() {
    }

    static String write(JsonNode value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value, e);
        }
    }

    /** Parses the JSON part of a {@code fieldsV1} key. */
    static JsonNode read(String text, String key) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidManagedFieldsException("invalid fieldsV1 key \"" + key + "\": " + e.getOriginalMessage());
        }
    }
}
