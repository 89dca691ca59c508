package dev.kumo.apimachinery.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event of a watch as the API sends it: {@code type} is ADDED, MODIFIED, DELETED, BOOKMARK (the object carries
 * only the resourceVersion to resume from) or ERROR (the object is a {@code Status}).
 */
public record ApiWatchEvent(String type, ObjectNode object) {
    public static final String ADDED = "ADDED";
    public static final String MODIFIED = "MODIFIED";
    public static final String DELETED = "DELETED";
    public static final String BOOKMARK = "BOOKMARK";
    public static final String ERROR = "ERROR";

    /** The object's resourceVersion ("" when it has none). */
    public String resourceVersion() {
        return object.path("metadata").path("resourceVersion").asText("");
    }

    /** For an ERROR event: the refusal its {@code Status} describes. */
    public ApiError error() {
        return ApiError.ofStatus(object.path("code").asInt(500), object, "");
    }
}
