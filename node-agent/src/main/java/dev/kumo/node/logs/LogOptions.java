package dev.kumo.node.logs;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;

/**
 * What a log request asks for: the query parameters of the kubelet's {@code /containerLogs} (those of
 * {@code PodLogOptions}), validated as the API validates them. {@code tailLines} and {@code limitBytes} are -1 when
 * not given; {@code since} is null when neither {@code sinceSeconds} nor {@code sinceTime} is.
 */
public record LogOptions(boolean follow, boolean previous, boolean timestamps, long tailLines, long limitBytes,
                         Instant since) {

    public static LogOptions defaults() {
        return new LogOptions(false, false, false, -1, -1, null);
    }

    /**
     * Reads the options from query parameters ({@code param} gives a parameter's first value, or null), with
     * {@code now} the time {@code sinceSeconds} counts back from.
     *
     * @throws IllegalArgumentException with the API's message when a value is invalid
     */
    public static LogOptions fromQuery(Function<String, String> param, Instant now) {
        long tail = number(param, "tailLines", 0);
        long limit = number(param, "limitBytes", 1);
        long sinceSeconds = number(param, "sinceSeconds", 1);
        String sinceTime = param.apply("sinceTime");
        if (sinceSeconds >= 0 && sinceTime != null && !sinceTime.isEmpty()) {
            throw new IllegalArgumentException("at most one of sinceTime or sinceSeconds may be specified");
        }
        Instant since = null;
        if (sinceSeconds >= 0) {
            since = now.minus(Duration.ofSeconds(sinceSeconds));
        } else if (sinceTime != null && !sinceTime.isEmpty()) {
            try {
                since = Instant.parse(sinceTime);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("sinceTime: invalid RFC3339 time \"" + sinceTime + "\"");
            }
        }
        return new LogOptions(flag(param, "follow"), flag(param, "previous"), flag(param, "timestamps"), tail,
                limit, since);
    }

    /** The same from a parsed query string (first value of each parameter). */
    public static LogOptions fromQuery(Map<String, String> query, Instant now) {
        return fromQuery(query::get, now);
    }

    private static boolean flag(Function<String, String> param, String name) {
        String value = param.apply(name);
        return value != null && (value.isEmpty() || value.equalsIgnoreCase("true") || value.equals("1"));
    }

    private static long number(Function<String, String> param, String name, long minimum) {
        String value = param.apply(name);
        if (value == null || value.isEmpty()) {
            return -1;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": invalid value \"" + value + "\": not an integer");
        }
        if (parsed < minimum) {
            throw new IllegalArgumentException(name + ": Invalid value: " + parsed + ": must be greater than "
                    + (minimum == 0 ? "or equal to 0" : "0"));
        }
        return parsed;
    }
}
