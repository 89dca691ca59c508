package dev.kumo.apimachinery.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading and writing {@code metadata} of objects held as JSON trees. */
public final class Meta {
    private Meta() {
    }

    /** The object's metadata, created if absent (or if not an object). */
    public static ObjectNode of(ObjectNode object) {
        JsonNode metadata = object.get("metadata");
        return metadata instanceof ObjectNode node ? node : object.putObject("metadata");
    }

    public static String name(JsonNode object) {
        return text(object, "name");
    }

    public static String namespace(JsonNode object) {
        return text(object, "namespace");
    }

    public static String resourceVersion(JsonNode object) {
        return text(object, "resourceVersion");
    }

    public static String uid(JsonNode object) {
        return text(object, "uid");
    }

    public static boolean isBeingDeleted(JsonNode object) {
        return !text(object, "deletionTimestamp").isEmpty();
    }

    public static boolean hasFinalizers(JsonNode object) {
        JsonNode finalizers = object.path("metadata").path("finalizers");
        return finalizers.isArray() && !finalizers.isEmpty();
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.path("metadata").path(field);
        return value.isTextual() ? value.asText() : "";
    }
}
