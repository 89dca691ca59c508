package dev.kumo.node.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CriLogReaderTest {
    @TempDir
    Path dir;

    private static final String LOG = """
            2024-05-01T10:00:00.000000001Z stdout F one
            2024-05-01T10:00:01.5Z stderr F two
            2024-05-01T10:00:02Z stdout P thr
            2024-05-01T10:00:02.1Z stderr F four
            2024-05-01T10:00:03Z stdout F ee
            2024-05-01T12:00:04+02:00 stdout F five
            """;

    @Test
    void parsesFullAndPartialLines() throws Exception {
        CriLogLine full = CriLogLine.parse("2024-05-01T10:00:00.123456789Z stdout F hello world\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(full.time()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456789Z"));
        assertThat(full.stream()).isEqualTo("stdout");
        assertThat(full.partial()).isFalse();
        assertThat(new String(full.content(), StandardCharsets.UTF_8)).isEqualTo("hello world\n");
        CriLogLine part = CriLogLine.parse("2024-05-01T10:00:00Z stderr P:x half\n".getBytes(StandardCharsets.UTF_8));
        assertThat(part.partial()).isTrue();
        assertThat(part.stream()).isEqualTo("stderr");
        assertThat(new String(part.content(), StandardCharsets.UTF_8)).isEqualTo("half");
        CriLogLine empty = CriLogLine.parse("2024-05-01T10:00:00Z stdout F \n".getBytes(StandardCharsets.UTF_8));
        assertThat(empty.content()).containsExactly('\n');
    }

    @Test
    void refusesLinesNotInTheCriFormat() {
        assertThatThrownBy(() -> CriLogLine.parse("hello\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("timestamp is not found");
        assertThatThrownBy(() -> CriLogLine.parse("yesterday stdout F x\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unexpected timestamp format");
        assertThatThrownBy(() -> CriLogLine.parse("2024-05-01T10:00:00Z stdin F x\n"
                .getBytes(StandardCharsets.UTF_8))).hasMessage("unexpected stream type \"stdin\"");
        assertThatThrownBy(() -> CriLogLine.parse("2024-05-01T10:00:00Z stdout\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("stream type is not found");
    }

    @Test
    void writesTheWholeLogWithPartsJoinedAndBadLinesSkipped() throws Exception {
        Path file = write(LOG.replace("F four\n", "F four\nnot a log line\n"));
        assertThat(read(file, LogOptions.defaults())).isEqualTo("one\ntwo\nfour\nthree\nfive\n");
    }

    @Test
    void timestampsAreGoRfc3339NanoOfTheFirstPart() throws Exception {
        Path file = write(LOG);
        assertThat(read(file, options(Map.of("timestamps", "true")))).isEqualTo("""
                2024-05-01T10:00:00.000000001Z one
                2024-05-01T10:00:01.5Z two
                2024-05-01T10:00:02.1Z four
                2024-05-01T10:00:02Z three
                2024-05-01T10:00:04Z five
                """);
    }

    @Test
    void tailCountsJoinedLines() throws Exception {
        Path file = write(LOG);
        assertThat(read(file, options(Map.of("tailLines", "2")))).isEqualTo("three\nfive\n");
        assertThat(read(file, options(Map.of("tailLines", "0")))).isEmpty();
        assertThat(read(file, options(Map.of("tailLines", "100")))).isEqualTo("one\ntwo\nfour\nthree\nfive\n");
    }

    @Test
    void sinceSkipsEarlierLines() throws Exception {
        Path file = write(LOG);
        assertThat(read(file, options(Map.of("sinceTime", "2024-05-01T10:00:02Z")))).isEqualTo("four\nthree\nfive\n");
        Instant now = Instant.parse("2024-05-01T10:00:03Z");
        assertThat(read(file, LogOptions.fromQuery(Map.of("sinceSeconds", "2"), now)))
                .isEqualTo("two\nfour\nthree\nfive\n");
        assertThat(read(file, options(Map.of("sinceTime", "2024-05-01T10:00:02Z", "tailLines", "1"))))
                .isEqualTo("five\n");
    }

    @Test
    void limitBytesCutsMidLine() throws Exception {
        Path file = write(LOG);
        assertThat(read(file, options(Map.of("limitBytes", "6")))).isEqualTo("one\ntw");
        assertThat(read(file, options(Map.of("limitBytes", "25", "timestamps", "true"))))
                .isEqualTo("2024-05-01T10:00:00.00000");
    }

    @Test
    void aPartAtTheEndWithoutItsRestIsWrittenAsItIs() throws Exception {
        Path file = write("2024-05-01T10:00:00Z stdout F a\n2024-05-01T10:00:01Z stdout P unfinished\n");
        assertThat(read(file, LogOptions.defaults())).isEqualTo("a\nunfinished");
    }

    @Test
    void invalidOptionsAreRefusedWithTheApisMessages() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> LogOptions.fromQuery(Map.of("tailLines", "-1"), now))
                .hasMessage("tailLines: Invalid value: -1: must be greater than or equal to 0");
        assertThatThrownBy(() -> LogOptions.fromQuery(Map.of("limitBytes", "0"), now))
                .hasMessage("limitBytes: Invalid value: 0: must be greater than 0");
        assertThatThrownBy(() -> LogOptions.fromQuery(Map.of("sinceSeconds", "5",
                "sinceTime", "2024-05-01T10:00:00Z"), now))
                .hasMessage("at most one of sinceTime or sinceSeconds may be specified");
        assertThatThrownBy(() -> LogOptions.fromQuery(Map.of("sinceTime", "noon"), now))
                .hasMessageContaining("sinceTime");
    }

    @Test
    void followWritesNewLinesAsTheyComeAndEndsWhenTheContainerEnded() throws Exception {
        Path file = write("2024-05-01T10:00:00Z stdout F first\n");
        AtomicBoolean running = new AtomicBoolean(true);
        LineCollector out = new LineCollector();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> {
            try {
                new CriLogReader(file, options(Map.of("follow", "true")), running::get).copyTo(out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        out.await("first\n");
        append(file, "2024-05-01T10:00:01Z stdout P sec");
        Thread.sleep(300); // half a line written: nothing of it is sent yet
        assertThat(out.text()).isEqualTo("first\n");
        append(file, "\n2024-05-01T10:00:01Z stdout F ond\n");
        out.await("first\nsecond\n");
        assertThat(following).isNotDone();
        append(file, "2024-05-01T10:00:02Z stderr F last words\n");
        running.set(false);
        following.get(10, TimeUnit.SECONDS);
        assertThat(out.text()).isEqualTo("first\nsecond\nlast words\n");
    }

    @Test
    void followWithTailStartsFromTheTail() throws Exception {
        Path file = write(LOG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(file, options(Map.of("follow", "true", "tailLines", "1")), () -> false).copyTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("five\n");
    }

    private static LogOptions options(Map<String, String> query) {
        return LogOptions.fromQuery(query, Instant.now());
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("0.log");
        Files.writeString(file, content);
        return file;
    }

    private static void append(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardOpenOption.APPEND);
    }

    private static String read(Path file, LogOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(file, options, () -> false).copyTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Collects what is written, for a test to wait on. */
    private static final class LineCollector extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        void await(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!text().equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(text()).isEqualTo(expected);
        }
    }
}
