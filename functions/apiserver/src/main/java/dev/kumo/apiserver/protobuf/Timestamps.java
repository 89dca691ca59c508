package dev.kumo.apiserver.protobuf;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The JSON forms of meta.v1.Time and MicroTime, as their Go MarshalJSON/UnmarshalJSON write and read them. */
final class Timestamps {
    /** time.RFC3339 in UTC, as Time.MarshalJSON writes it: whole seconds. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX")
            .withZone(ZoneOffset.UTC);
    /** metav1.RFC3339Micro ("2006-01-02T15:04:05.000000Z07:00") in UTC. */
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);
    /** Go's zero time.Time, which Time.Marshal writes as an empty message and JSON shows as null. */
    static final Instant GO_ZERO = Instant.parse("0001-01-01T00:00:00Z");

    private Timestamps() {
    }

    static String formatTime(Instant instant) {
        return TIME.format(instant);
    }

    static String formatMicroTime(Instant instant) {
        return MICRO_TIME.format(instant);
    }

    /** RFC 3339 with any offset and fraction, as Go's time.Parse(time.RFC3339, ...) accepts. */
    static Instant parse(String text, String path) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProtobufException(path + ": \"" + text + "\" is not an RFC 3339 time", e);
        }
    }
}
