package dev.kumo.node.logs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Writes a container's log as the kubelet's {@code ReadLogs} does, from one CRI log file: each line's content
 * (optionally after its time in RFC3339Nano and a space), only lines at or after {@code since}, only the last
 * {@code tailLines}, at most {@code limitBytes}; with {@code follow}, new lines as the runtime appends them until
 * the container has ended and the file is drained. Unlike the kubelet, parts of a line the runtime split
 * ({@code P}) are joined into the line they belong to, which then counts once for {@code tailLines} and carries the
 * time of its first part. Lines that are not in the CRI format are skipped and logged, as the kubelet does.
 */
public final class CriLogReader {
    private static final Logger LOG = LoggerFactory.getLogger(CriLogReader.class);
    /** How often a followed file is looked at for new lines (the kubelet waits on inotify; polling is enough). */
    static final Duration FOLLOW_POLL = Duration.ofMillis(100);
    /** Quiet polls between two questions to the runtime whether the container still runs (one second). */
    private static final int POLLS_PER_RUNNING_CHECK = 10;
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final Path file;
    private final LogOptions options;
    private final BooleanSupplier running;

    /**
     * @param running whether the container still runs (asked when a followed file has nothing new: once it is
     *                false, what the file holds is read and the stream ends)
     */
    public CriLogReader(Path file, LogOptions options, BooleanSupplier running) {
        this.file = file;
        this.options = options;
        this.running = running;
    }

    /** One log line, its parts joined: the time of its first part, and its content (with its newline, if any). */
    record Entry(Instant time, byte[] content) {
    }

    /** Copies the log to {@code out}; returns when it is all written, the limit is reached, or writing fails. */
    public void copyTo(OutputStream out) throws IOException, InterruptedException {
        Output output = new Output(out, options.limitBytes(), options.timestamps());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Lines lines = new Lines(channel);
            Joiner joiner = new Joiner();
            ArrayDeque<Entry> tail = options.tailLines() >= 0 ? new ArrayDeque<>() : null;
            // What the file holds now; the last line may still be being written, so it waits unless nothing follows.
            boolean ending = !options.follow();
            for (byte[] line = lines.next(ending); line != null; line = lines.next(ending)) {
                Entry entry = joiner.add(line);
                if (entry != null && selected(entry)) {
                    if (tail == null) {
                        if (!output.write(entry)) {
                            return;
                        }
                    } else {
                        tail.addLast(entry);
                        if (tail.size() > options.tailLines()) {
                            tail.removeFirst();
                        }
                    }
                }
            }
            if (tail != null) {
                for (Entry entry : tail) {
                    if (!output.write(entry)) {
                        return;
                    }
                }
            }
            if (options.follow()) {
                follow(lines, joiner, output);
            } else {
                for (Entry entry : joiner.rest()) {
                    if (selected(entry) && !output.write(entry)) {
                        return;
                    }
                }
            }
            out.flush();
        }
    }

    private void follow(Lines lines, Joiner joiner, Output output) throws IOException, InterruptedException {
        boolean ended = false;
        int quietPolls = -1;
        while (true) {
            boolean any = false;
            for (byte[] line = lines.next(ended); line != null; line = lines.next(ended)) {
                any = true;
                Entry entry = joiner.add(line);
                if (entry != null && selected(entry) && !output.write(entry)) {
                    return;
                }
            }
            if (ended) {
                for (Entry entry : joiner.rest()) {
                    if (selected(entry) && !output.write(entry)) {
                        return;
                    }
                }
                return;
            }
            if (!any) {
                output.flush();
                // Asked before the last read: lines written before the container ended are read by that read.
                // The runtime is asked at most once a second (a CRI call), the file every poll.
                if (++quietPolls % POLLS_PER_RUNNING_CHECK == 0) {
                    ended = !running.getAsBoolean();
                }
                if (!ended) {
                    Thread.sleep(FOLLOW_POLL);
                }
            } else {
                quietPolls = -1; // new lines: the next quiet poll asks at once
            }
        }
    }

    private boolean selected(Entry entry) {
        return options.since() == null || !entry.time().isBefore(options.since());
    }

    /** Go's {@code time.RFC3339Nano} in UTC: the fraction without trailing zeros, none when it is zero. */
    static String rfc3339Nano(Instant time) {
        StringBuilder text = new StringBuilder(SECONDS.format(time));
        int nanos = time.getNano();
        if (nanos > 0) {
            String fraction = String.format("%09d", nanos).replaceFirst("0+$", "");
            text.append('.').append(fraction);
        }
        return text.append('Z').toString();
    }

    /** Joins the parts of split lines, per stream, and skips lines that do not parse. */
    private final class Joiner {
        private final Map<String, Pending> pending = new HashMap<>();

        private record Pending(Instant time, ByteArrayOutputStream content) {
        }

        /** The whole line this line completes, or null (a part, or a line that does not parse). */
        Entry add(byte[] raw) {
            CriLogLine line;
            try {
                line = CriLogLine.parse(raw);
            } catch (CriLogLine.MalformedLogLine e) {
                LOG.atWarn().addKeyValue("file", file).addKeyValue("line", new String(raw, StandardCharsets.UTF_8))
                        .log("skipping a log line not in the CRI format: " + e.getMessage());
                return null;
            }
            Pending started = pending.get(line.stream());
            if (line.partial()) {
                if (started == null) {
                    started = new Pending(line.time(), new ByteArrayOutputStream());
                    pending.put(line.stream(), started);
                }
                started.content().writeBytes(line.content());
                return null;
            }
            if (started == null) {
                return new Entry(line.time(), line.content());
            }
            pending.remove(line.stream());
            started.content().writeBytes(line.content());
            return new Entry(started.time(), started.content().toByteArray());
        }

        /** Parts never completed (the container ended mid-line), oldest first. */
        Iterable<Entry> rest() {
            var entries = pending.values().stream().sorted(java.util.Comparator.comparing(Pending::time))
                    .map(p -> new Entry(p.time(), p.content().toByteArray())).toList();
            pending.clear();
            return entries;
        }
    }

    /** Lines of a file that may grow, each with its newline. */
    private static final class Lines {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(FileChannel channel) {
            this.channel = channel;
            buffer.flip();
        }

        /**
         * The next whole line, or null when the file has no more now; with {@code ending}, a last line without a
         * newline is returned too (nothing will complete it).
         */
        byte[] next(boolean ending) throws IOException {
            while (true) {
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    line.write(b);
                    if (b == '\n') {
                        byte[] complete = line.toByteArray();
                        line.reset();
                        return complete;
                    }
                }
                buffer.clear();
                int read = channel.read(buffer);
                buffer.flip();
                if (read <= 0) {
                    if (ending && line.size() > 0) {
                        byte[] last = line.toByteArray();
                        line.reset();
                        return last;
                    }
                    return null;
                }
            }
        }
    }

    /** Writes entries up to the byte limit, with their times when asked. */
    private static final class Output {
        private final OutputStream out;
        private final boolean timestamps;
        private long remaining;

        Output(OutputStream out, long limitBytes, boolean timestamps) {
            this.out = out;
            this.remaining = limitBytes < 0 ? Long.MAX_VALUE : limitBytes;
            this.timestamps = timestamps;
        }

        /** False once the limit is reached: nothing more is to be written. */
        boolean write(Entry entry) throws IOException {
            if (timestamps && !put((rfc3339Nano(entry.time()) + " ").getBytes(StandardCharsets.US_ASCII))) {
                return false;
            }
            return put(entry.content());
        }

        private boolean put(byte[] bytes) throws IOException {
            int length = (int) Math.min(bytes.length, remaining);
            out.write(bytes, 0, length);
            remaining -= length;
            return remaining > 0;
        }

        void flush() throws IOException {
            out.flush();
        }
    }
}
