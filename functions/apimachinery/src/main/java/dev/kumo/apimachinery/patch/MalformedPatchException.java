package dev.kumo.apimachinery.patch;

/**
 * The patch document is not valid for its patch type, whatever object it is applied to: not a JSON object
 * or array, an unknown operation, a JSON Pointer that does not parse, a malformed directive.
 */
public final class MalformedPatchException extends PatchException {

    public MalformedPatchException(String message) {
        super(message);
    }
}
