package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Kubernetes' timestamps ({@code metav1.Time}): RFC 3339 with whole seconds. */
public final class Times {
    private Times() {
    }

    /** The time a field holds; empty when it is absent, null or not a timestamp. */
    public static Optional<Instant> parse(JsonNode value) {
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code now} as Kubernetes writes it: {@code 2024-05-01T10:00:00Z}. */
    public static String format(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
