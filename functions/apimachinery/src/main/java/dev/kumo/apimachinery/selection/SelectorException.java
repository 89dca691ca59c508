package dev.kumo.apimachinery.selection;

/** A label or field selector that does not parse; the message says what is wrong. */
public final class SelectorException extends IllegalArgumentException {
    public SelectorException(String message) {
        super(message);
    }
}
