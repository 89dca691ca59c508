package dev.kumo.apimachinery.patch;

/**
 * The patch is well formed but does not apply to this object: a path that does not exist, a failed
 * {@code test} operation, a list item without its merge key, values whose types do not match.
 */
public final class PatchApplicationException extends PatchException {

    public PatchApplicationException(String message) {
        super(message);
    }
}
