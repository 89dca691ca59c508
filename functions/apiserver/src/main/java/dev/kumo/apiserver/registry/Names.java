package dev.kumo.apiserver.registry;

import dev.kumo.apiserver.errors.FieldError;

import java.security.SecureRandom;
import java.util.List;

/** Name validation that strategies share with the registry. */
public final class Names {
    private static final String GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Names() {
    }

    /** {@code base} (cut to 58 characters) and 5 random characters, as Kubernetes' SimpleNameGenerator makes them. */
    public static String generate(String base) {
        StringBuilder generated = new StringBuilder(base.length() > 58 ? base.substring(0, 58) : base);
        for (int i = 0; i < 5; i++) {
            generated.append(GENERATE_ALPHABET.charAt(RANDOM.nextInt(GENERATE_ALPHABET.length())));
        }
        return generated.toString();
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
