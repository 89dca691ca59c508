package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** The special keys and values of Kubernetes' strategic merge patch. */
final class Directives {

    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    enum PatchDirective { REPLACE, DELETE, MERGE }

    private Directives() {
    }

    /** The {@code $patch} directive of an object, or null if it has none. */
    static PatchDirective patchDirective(JsonNode object) {
        JsonNode value = object.get(PATCH);
        if (value == null) {
            return null;
        }
        return switch (value.isTextual() ? value.asText() : "") {
            case "replace" -> PatchDirective.REPLACE;
            case "delete" -> PatchDirective.DELETE;
            case "merge" -> PatchDirective.MERGE;
            default -> throw new MalformedPatchException("unknown patch type: " + value + " in map: " + object);
        };
    }

    /** The field a prefixed directive key (such as {@code $setElementOrder/containers}) applies to. */
    static String target(String key, String prefix) {
        String field = key.substring(prefix.length());
        if (field.isEmpty()) {
            throw new MalformedPatchException("invalid patch: \"" + key + "\" does not name a field");
        }
        return field;
    }
}
