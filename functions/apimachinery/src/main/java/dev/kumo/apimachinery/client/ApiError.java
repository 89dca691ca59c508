package dev.kumo.apimachinery.client;

/**
 * A request the API refused, with the {@code Status} it answered: its HTTP code, machine-readable reason
 * (NotFound, Conflict, AlreadyExists, Forbidden, ...) and message.
 */
public final class ApiError extends RuntimeException {
    private final int code;
    private final String reason;

    public ApiError(int code, String reason, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public boolean isNotFound() {
        return code == 404;
    }

    /** A stale resourceVersion or a taken name: read again and retry (level-triggered loops simply requeue). */
    public boolean isConflict() {
        return code == 409;
    }
}
