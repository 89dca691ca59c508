package dev.kumo.apimachinery.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A request the API refused, with the {@code Status} it answered: its HTTP code, machine-readable reason
 * (NotFound, Conflict, AlreadyExists, Forbidden, ...) and message.
 */
public final class ApiError extends RuntimeException {
    private final int code;
    private final String reason;
    private final List<String> causes;

    /** @param causes the reasons of the Status' {@code details.causes} (e.g. {@code NamespaceTerminating}) */
    public ApiError(int code, String reason, String message, List<String> causes) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.causes = List.copyOf(causes);
    }

    /**
     * The refusal a {@code Status} states: its reason, message ({@code fallbackMessage} when it has none) and the
     * reasons of its {@code details.causes}.
     */
    static ApiError ofStatus(int code, JsonNode status, String fallbackMessage) {
        List<String> causes = new ArrayList<>();
        status.path("details").path("causes").forEach(cause -> causes.add(cause.path("reason").asText("")));
        return new ApiError(code, status.path("reason").asText(""), status.path("message").asText(fallbackMessage),
                causes);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** Whether the Status names this cause ({@code errors.HasStatusCause}). */
    public boolean hasCause(String causeReason) {
        return causes.contains(causeReason);
    }

    public boolean isNotFound() {
        return code == 404;
    }

    /** A stale resourceVersion or a taken name: read again and retry (level-triggered loops simply requeue). */
    public boolean isConflict() {
        return code == 409;
    }
}
