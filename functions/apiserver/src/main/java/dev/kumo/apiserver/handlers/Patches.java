package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.errors.ApiException;

import java.util.List;

/** The PATCH media types kumo accepts. */
public final class Patches {
    public static final String MERGE = "application/merge-patch+json";
    public static final String JSON = "application/json-patch+json";
    public static final String STRATEGIC = "application/strategic-merge-patch+json";
    public static final String APPLY = "application/apply-patch+yaml";
    public static final List<String> TYPES = List.of(JSON, MERGE, STRATEGIC, APPLY);

    private Patches() {
    }

    static ObjectNode requireObject(JsonNode node, String what) {
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new ApiException(422, "Invalid", what + " must produce a JSON object", null);
    }
}
