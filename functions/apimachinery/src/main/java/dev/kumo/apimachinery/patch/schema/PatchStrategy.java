package dev.kumo.apimachinery.patch.schema;

import java.util.Locale;

/**
 * {@code x-kubernetes-patch-strategy}: how a strategic merge patch combines a field with the live value.
 * The extension is a comma-separated list, e.g. {@code merge}, {@code replace}, {@code retainKeys} or
 * {@code merge,retainKeys}.
 */
public record PatchStrategy(boolean merge, boolean replace, boolean retainKeys) {

    public static final PatchStrategy NONE = new PatchStrategy(false, false, false);

    public PatchStrategy {
        if (merge && replace) {
            throw new IllegalArgumentException("a patch strategy cannot both merge and replace");
        }
    }

    /** Parses the extension's value; unknown strategies are ignored, as Kubernetes does. */
    public static PatchStrategy parse(String extension) {
        if (extension == null || extension.isBlank()) {
            return NONE;
        }
        boolean merge = false;
        boolean replace = false;
        boolean retainKeys = false;
        for (String part : extension.split(",")) {
            switch (part.trim().toLowerCase(Locale.ROOT)) {
                case "merge" -> merge = true;
                case "replace" -> replace = true;
                case "retainkeys" -> retainKeys = true;
                default -> { }
            }
        }
        return new PatchStrategy(merge, replace && !merge, retainKeys);
    }
}
