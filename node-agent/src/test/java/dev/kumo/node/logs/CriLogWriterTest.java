package dev.kumo.node.logs;

import dev.kumo.controllers.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRI log writer against containerd's format, and read back by {@link CriLogReader}. */
class CriLogWriterTest {
    private static final Instant START = Instant.parse("2026-11-24T06:30:00.120000000Z");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(START);

    @Test
    void eachLineGetsTheTimeItWasReadItsStreamAndFullTagWithoutItsNewline() throws Exception {
        Path file = dir.resolve("0.log");
        try (CriLogWriter writer = new CriLogWriter(file, clock)) {
            writer.copy(input("one\r\n\ntwo\r three\n"), CriLogLine.STDOUT);
            clock.advance(Duration.ofMillis(1));
            writer.copy(input("oops\n"), CriLogLine.STDERR);
            clock.set(START.plusSeconds(1).minusNanos(START.getNano()));
            writer.copy(input("done\nprompt> "), CriLogLine.STDOUT);
            writer.copy(input("cr at the end\r"), CriLogLine.STDERR);
        }
        // a line the stream ends without newline is partial: nothing will complete it
        assertThat(Files.readString(file)).isEqualTo("""
                2026-11-24T06:30:00.12Z stdout F one
                2026-11-24T06:30:00.12Z stdout F\s
                2026-11-24T06:30:00.12Z stdout F two\r three
                2026-11-24T06:30:00.121Z stderr F oops
                2026-11-24T06:30:01Z stdout F done
                2026-11-24T06:30:01Z stdout P prompt>\s
                2026-11-24T06:30:01Z stderr P cr at the end\r
                """);
    }

    @Test
    void aLineLongerThanTheLimitIsCutIntoPartsAsContainerdCutsIt() throws Exception {
        Path file = dir.resolve("0.log");
        String exact = "x".repeat(CriLogWriter.MAX_LINE);
        String longer = "y".repeat(CriLogWriter.MAX_LINE * 2 + 3);
        try (CriLogWriter writer = new CriLogWriter(file, clock)) {
            // a line of exactly the limit is whole, also with \r\n; one byte more is a part and the rest
            writer.copy(input(exact + "\r\n" + longer + "\n"), CriLogLine.STDOUT);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("2026-11-24T06:30:00.12Z stdout F " + exact);
        assertThat(lines.get(1)).isEqualTo("2026-11-24T06:30:00.12Z stdout P " + "y".repeat(CriLogWriter.MAX_LINE));
        assertThat(lines.get(2)).isEqualTo("2026-11-24T06:30:00.12Z stdout P " + "y".repeat(CriLogWriter.MAX_LINE));
        assertThat(lines.get(3)).isEqualTo("2026-11-24T06:30:00.12Z stdout F yyy");

        // the reader joins the parts into the one line they were
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(file, new LogOptions(false, false, false, 1, -1, null), () -> false).copyTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(longer + "\n");
    }

    @Test
    void twoStreamsWritingAtOnceNeverInterleaveWithinALine() throws Exception {
        Path file = dir.resolve("0.log");
        int lines = 2000;
        try (CriLogWriter writer = new CriLogWriter(file, Clock.systemUTC())) {
            CompletableFuture<Void> out = CompletableFuture.runAsync(() -> copy(writer, numbered("out", lines),
                    CriLogLine.STDOUT));
            CompletableFuture<Void> err = CompletableFuture.runAsync(() -> copy(writer, numbered("err", lines),
                    CriLogLine.STDERR));
            CompletableFuture.allOf(out, err).get(30, TimeUnit.SECONDS);
        }
        List<String> written = Files.readAllLines(file);
        assertThat(written).hasSize(lines * 2);
        int outSeen = 0;
        int errSeen = 0;
        for (String line : written) {
            CriLogLine parsed = CriLogLine.parse((line + "\n").getBytes(StandardCharsets.UTF_8));
            String content = new String(parsed.content(), StandardCharsets.UTF_8);
            if (parsed.stream().equals(CriLogLine.STDOUT)) {
                assertThat(content).isEqualTo("out " + outSeen++ + " " + "o".repeat(100) + "\n");
            } else {
                assertThat(content).isEqualTo("err " + errSeen++ + " " + "o".repeat(100) + "\n");
            }
        }
        assertThat(outSeen).isEqualTo(lines);
        assertThat(errSeen).isEqualTo(lines);
    }

    @Test
    void aLineIsWrittenWhenItEndsNotWhenTheStreamDoes() throws Exception {
        Path file = dir.resolve("0.log");
        PipedOutputStream process = new PipedOutputStream();
        PipedInputStream pipe = new PipedInputStream(process);
        try (CriLogWriter writer = new CriLogWriter(file, Clock.systemUTC())) {
            CompletableFuture<Void> copying = CompletableFuture.runAsync(() -> copy(writer, pipe,
                    CriLogLine.STDOUT));
            process.write("first\nsec".getBytes(StandardCharsets.UTF_8));
            process.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (Files.readAllLines(file).isEmpty()) {
                assertThat(System.nanoTime()).as("the first line written").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(Files.readAllLines(file)).singleElement().asString().endsWith(" stdout F first");
            process.write("ond\n".getBytes(StandardCharsets.UTF_8));
            process.close();
            copying.get(20, TimeUnit.SECONDS);
        }
        assertThat(Files.readAllLines(file)).hasSize(2).last().asString().endsWith(" stdout F second");
    }

    @Test
    void appendsToAnExistingFile() throws Exception {
        Path file = dir.resolve("0.log");
        Files.writeString(file, "2026-11-24T06:00:00Z stdout F earlier\n");
        try (CriLogWriter writer = new CriLogWriter(file, clock)) {
            writer.copy(input("later\n"), CriLogLine.STDOUT);
        }
        assertThat(Files.readAllLines(file)).containsExactly("2026-11-24T06:00:00Z stdout F earlier",
                "2026-11-24T06:30:00.12Z stdout F later");
    }

    private static InputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream numbered(String prefix, int lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append(prefix).append(' ').append(i).append(' ').append("o".repeat(100)).append('\n');
        }
        // small reads, so that both streams' lines are written in turns
        return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 37));
            }
        };
    }

    private static void copy(CriLogWriter writer, InputStream in, String stream) {
        try {
            writer.copy(in, stream);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
