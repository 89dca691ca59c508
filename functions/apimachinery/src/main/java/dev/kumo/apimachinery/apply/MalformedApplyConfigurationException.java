package dev.kumo.apimachinery.apply;

/**
 * An apply configuration is not acceptable: it sets {@code metadata.managedFields}, names another type than
 * the live object, or has list items without their keys or with duplicate keys (400 Bad Request).
 */
public final class MalformedApplyConfigurationException extends RuntimeException {

    public MalformedApplyConfigurationException(String message) {
        super(message);
    }
}
