package dev.kumo.apimachinery.meta;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kubernetes APIs write them ({@code metav1.Duration}, Go's {@code time.ParseDuration}): a sequence of
 * decimal numbers with units {@code ns, us, ms, s, m, h}, e.g. {@code 30s}, {@code 5m}, {@code 1h30m},
 * {@code 1.5h}. Negative durations are refused: the fields that use this are delays.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    /** The duration, or an IllegalArgumentException saying what is wrong with the text. */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a duration such as 30s, 5m or 1h30m is needed");
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = PART.matcher(text);
        long nanos = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            double value = Double.parseDouble(matcher.group(1));
            nanos += Math.round(value * unitNanos(matcher.group(2)));
            end = matcher.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        return Duration.ofNanos(nanos);
    }

    /** Go's {@code Duration.String()} for whole seconds and above: {@code 5m0s}, {@code 1h30m0s}, {@code 45s}. */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        return text.append(seconds % 60).append('s').toString();
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
