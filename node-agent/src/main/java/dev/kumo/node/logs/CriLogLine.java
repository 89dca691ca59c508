package dev.kumo.node.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * One line of a container log file in the CRI format the runtime writes:
 * {@code <RFC3339Nano time> <stdout|stderr> <tag> <content>}, where the tag's first {@code :}-separated part is
 * {@code F} (a full line) or {@code P} (a part of a line the runtime split, continued by the next line of the same
 * stream). As the kubelet's {@code parseCRILog}: a full line keeps its newline, a partial one loses it.
 */
public record CriLogLine(Instant time, String stream, boolean partial, byte[] content) {
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";

    /** Parses one line as read from the file (with its trailing newline, when it has one). */
    public static CriLogLine parse(byte[] line) throws MalformedLogLine {
        int timeEnd = indexOf(line, 0);
        if (timeEnd < 0) {
            throw new MalformedLogLine("timestamp is not found");
        }
        Instant time;
        String timeText = new String(line, 0, timeEnd, StandardCharsets.US_ASCII);
        try {
            time = Instant.parse(timeText);
        } catch (DateTimeParseException e) {
            throw new MalformedLogLine("unexpected timestamp format \"" + timeText + "\"");
        }
        int streamEnd = indexOf(line, timeEnd + 1);
        if (streamEnd < 0) {
            throw new MalformedLogLine("stream type is not found");
        }
        String stream = new String(line, timeEnd + 1, streamEnd - timeEnd - 1, StandardCharsets.US_ASCII);
        if (!stream.equals(STDOUT) && !stream.equals(STDERR)) {
            throw new MalformedLogLine("unexpected stream type \"" + stream + "\"");
        }
        int tagEnd = indexOf(line, streamEnd + 1);
        if (tagEnd < 0) {
            throw new MalformedLogLine("log tag is not found");
        }
        String tag = new String(line, streamEnd + 1, tagEnd - streamEnd - 1, StandardCharsets.US_ASCII);
        boolean partial = tag.split(":", 2)[0].equals("P"); // later tag parts are kept for forward compatibility
        int end = line.length;
        if (partial && end > tagEnd + 1 && line[end - 1] == '\n') {
            end--;
        }
        return new CriLogLine(time, stream, partial, Arrays.copyOfRange(line, tagEnd + 1, end));
    }

    private static int indexOf(byte[] line, int from) {
        for (int i = from; i < line.length; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    /** A line that is not in the CRI log format. */
    public static final class MalformedLogLine extends Exception {
        public MalformedLogLine(String message) {
            super(message);
        }
    }
}
