package dev.kumo.node.logs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a container's output to its log file in the CRI format, as containerd's CRI logger
 * ({@code pkg/cri/io/logger.go}) does: each line {@code <RFC3339Nano time> <stdout|stderr> <F|P> <content>} with the
 * time it was read, {@code \n} or {@code \r\n} removed; a line longer than {@link #MAX_LINE} bytes is cut into
 * {@code P} parts followed by its {@code F} rest, and a last line the stream ends without a newline is a {@code P}.
 * Both streams of a container write to one file: each line is one append, so lines never interleave.
 */
public final class CriLogWriter implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(CriLogWriter.class);
    /** containerd's {@code max_container_log_line_size} default. */
    public static final int MAX_LINE = 16 * 1024;

    private final Path file;
    private final Clock clock;
    private final OutputStream out;
    private final AtomicLong lost = new AtomicLong();

    /** Opens {@code file} for appending (created if missing), as the runtime opens a container's log. */
    public CriLogWriter(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    public Path file() {
        return file;
    }

    /**
     * Copies {@code in} ({@link CriLogLine#STDOUT} or {@link CriLogLine#STDERR} as {@code stream}) line by line until
     * it ends. A line that cannot be written is counted and the copy goes on, as containerd drains the output even
     * then (a process whose pipe is not read would block).
     *
     * @throws IOException when reading {@code in} fails
     */
    public void copy(InputStream in, String stream) throws IOException {
        Splitter lines = new Splitter(stream);
        byte[] buffer = new byte[8192];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            lines.add(buffer, read);
        }
        lines.end();
    }

    /** One line of the file, written with one append. */
    void write(String stream, boolean partial, byte[] content, int length) {
        byte[] head = (CriLogReader.rfc3339Nano(clock.instant()) + " " + stream + (partial ? " P " : " F "))
                .getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[head.length + length + 1];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(content, 0, line, head.length, length);
        line[line.length - 1] = '\n';
        try {
            synchronized (out) {
                out.write(line);
            }
        } catch (IOException e) {
            if (lost.getAndIncrement() == 0) {
                LOG.atWarn().addKeyValue("file", file).addKeyValue("stream", stream).setCause(e)
                        .log("cannot write the container's log; its output is read on and dropped");
            }
        }
    }

    /** Lines that could not be written (the first failure is logged). */
    public long lostLines() {
        return lost.get();
    }

    @Override
    public void close() throws IOException {
        synchronized (out) {
            out.close();
        }
        if (lost.get() > 0) {
            LOG.atWarn().addKeyValue("file", file).addKeyValue("lostLines", lost.get())
                    .log("the container's log misses lines that could not be written");
        }
    }

    /** Cuts one stream into lines; a {@code \r} waits for the next byte, since {@code \r\n} ends a line. */
    private final class Splitter {
        private final String stream;
        private final byte[] line = new byte[MAX_LINE];
        private int length;
        private boolean carriageReturn;

        Splitter(String stream) {
            this.stream = stream;
        }

        void add(byte[] bytes, int count) {
            for (int i = 0; i < count; i++) {
                byte b = bytes[i];
                if (b == '\n') {
                    carriageReturn = false; // "\r\n" ends a line as "\n" does
                    write(stream, false, line, length);
                    length = 0;
                    continue;
                }
                if (carriageReturn) {
                    carriageReturn = false;
                    append((byte) '\r');
                }
                if (b == '\r') {
                    carriageReturn = true;
                } else {
                    append(b);
                }
            }
        }

        private void append(byte b) {
            if (length == MAX_LINE) {
                write(stream, true, line, length);
                length = 0;
            }
            line[length++] = b;
        }

        /** What is left without a newline is a partial line (nothing will complete it). */
        void end() {
            if (carriageReturn) {
                carriageReturn = false;
                append((byte) '\r');
            }
            if (length > 0) {
                write(stream, true, line, length);
                length = 0;
            }
        }
    }
}
