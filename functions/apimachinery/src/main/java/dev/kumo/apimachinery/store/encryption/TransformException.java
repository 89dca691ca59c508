package dev.kumo.apimachinery.store.encryption;

/** A value could not be encrypted or decrypted; the message says why (never the value or a key). */
public final class TransformException extends RuntimeException {
    public TransformException(String message) {
        super(message);
    }

    public TransformException(String message, Throwable cause) {
        super(message, cause);
    }
}
