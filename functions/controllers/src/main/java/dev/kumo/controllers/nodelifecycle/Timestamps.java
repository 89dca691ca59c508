package dev.kumo.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** RFC 3339 times as the API writes them ({@code metav1.Time}, and {@code MicroTime} with microseconds). */
final class Timestamps {
    private Timestamps() {
    }

    static Optional<Instant> parse(JsonNode value) {
        if (!value.isTextual() || value.asText().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty(); // the API validates times; an unparsable one counts as absent
        }
    }
}
