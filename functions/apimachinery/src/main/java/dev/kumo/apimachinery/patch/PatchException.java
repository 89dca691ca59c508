package dev.kumo.apimachinery.patch;

/**
 * A patch could not be applied. The message says what is wrong, in terms a client can act on.
 *
 * <p>The API server answers {@link MalformedPatchException} with 400 Bad Request and
 * {@link PatchApplicationException} with 422 Unprocessable Entity.
 */
public abstract sealed class PatchException extends RuntimeException
        permits MalformedPatchException, PatchApplicationException {

    PatchException(String message) {
        super(message);
    }
}
