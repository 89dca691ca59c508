package dev.kumo.apimachinery.apply;

/** An object's {@code metadata.managedFields} cannot be read (the API server answers 500). */
public final class InvalidManagedFieldsException extends RuntimeException {

    public InvalidManagedFieldsException(String message) {
        super(message);
    }
}
