package dev.kumo.node;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Kubernetes' two timestamp forms: {@code metav1.Time} (RFC 3339, whole seconds) and {@code metav1.MicroTime}. */
public final class ApiTime {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private ApiTime() {
    }

    /** A {@code metav1.Time}: {@code 2025-01-02T03:04:05Z}. */
    public static String time(Instant instant) {
        return SECONDS.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A {@code metav1.MicroTime} (lease renew times): {@code 2025-01-02T03:04:05.123456Z}. */
    public static String microTime(Instant instant) {
        return MICROS.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    public static Instant parse(String text) {
        return Instant.parse(text);
    }
}
