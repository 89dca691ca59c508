package dev.kumo.apiserver.registry;

import dev.kumo.apiserver.errors.FieldError;

import java.util.List;

/** Name validation that strategies share with the registry. */
public final class Names {
    private Names() {
    }

    public static List<FieldError> validateLabel(String field, String name) {
        return MetadataRules.validateName(field, name, true);
    }

    public static List<FieldError> validateSubdomain(String field, String name) {
        return MetadataRules.validateName(field, name, false);
    }

    public static List<FieldError> validatePathSegment(String field, String name) {
        return MetadataRules.validatePathSegmentName(field, name);
    }
}
