package dev.kumo.apiserver.openapi.build;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Cuts an OpenAPI document down to the paths kumo serves: drops the other paths, optionally the
 * {@code fieldValidation} query parameter, and every definition the kept paths no longer reach.
 */
final class DocumentFilter {
    /** Swagger 2.0: where {@code $ref}s point. */
    static final DocumentFilter V2 = new DocumentFilter(List.of("/definitions", "/parameters", "/responses"));
    /** OpenAPI 3.0: where {@code $ref}s point. */
    static final DocumentFilter V3 = new DocumentFilter(List.of(
            "/components/schemas", "/components/parameters", "/components/responses",
            "/components/requestBodies", "/components/headers", "/components/examples"));

    private static final List<String> OPERATIONS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String FIELD_VALIDATION = "fieldValidation";

    private final List<String> referenceTargets;

    private DocumentFilter(List<String> referenceTargets) {
        this.referenceTargets = referenceTargets;
    }

    /** A filtered copy of {@code document}, keeping the paths {@code served} accepts. */
    ObjectNode filter(ObjectNode document, Predicate<String> served, boolean keepFieldValidation) {
        ObjectNode filtered = document.deepCopy();
        ObjectNode paths = (ObjectNode) filtered.required("paths");
        List<String> unserved = new ArrayList<>();
        paths.fieldNames().forEachRemaining(path -> {
            if (!served.test(path)) {
                unserved.add(path);
            }
        });
        paths.remove(unserved);
        if (!keepFieldValidation) {
            paths.elements().forEachRemaining(pathItem -> removeFieldValidation(filtered, pathItem));
        }
        Set<String> reachable = JsonReferences.reachable(filtered, paths);
        for (String container : referenceTargets) {
            prune(filtered, container, reachable);
        }
        return filtered;
    }

    private static void removeFieldValidation(JsonNode document, JsonNode pathItem) {
        removeFieldValidationParameter(document, pathItem.get("parameters"));
        for (String operation : OPERATIONS) {
            JsonNode op = pathItem.get(operation);
            if (op != null) {
                removeFieldValidationParameter(document, op.get("parameters"));
            }
        }
    }

    private static void removeFieldValidationParameter(JsonNode document, JsonNode parameters) {
        if (parameters == null) {
            return;
        }
        ArrayNode list = (ArrayNode) parameters;
        for (int i = list.size() - 1; i >= 0; i--) {
            JsonNode parameter = JsonReferences.dereference(document, list.get(i));
            if (parameter.path("in").asText().equals("query") && parameter.path("name").asText().equals(FIELD_VALIDATION)) {
                list.remove(i);
            }
        }
    }

    private static void prune(ObjectNode document, String container, Set<String> reachable) {
        JsonNode entries = document.at(JsonPointer.compile(container));
        if (entries.isMissingNode()) {
            return;
        }
        List<String> unreachable = new ArrayList<>();
        entries.fieldNames().forEachRemaining(name -> {
            if (!reachable.contains(JsonReferences.to(container, name))) {
                unreachable.add(name);
            }
        });
        ((ObjectNode) entries).remove(unreachable);
    }
}
