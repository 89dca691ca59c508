package dev.kumo.cloud;

/**
 * A cloud call failed. {@code retryable} says whether trying again later can help (throttling, capacity, a
 * dependency still being deleted) or a person must act (quota, permissions, an invalid instance type); the
 * loops requeue the first with back-off and record the second as a warning event.
 */
public class CloudException extends Exception {
    private final boolean retryable;

    public CloudException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public CloudException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
