package dev.kumo.node.process;

import dev.kumo.node.logs.CriLogLine;
import dev.kumo.node.logs.CriLogWriter;
import dev.kumo.node.pods.ContainerStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run's output: the process's stdout and stderr copied into its CRI log file ({@link CriLogWriter}), each by a
 * thread of its own, and the file closed once both pipes ended (when the process and every descendant that holds
 * them have ended). Platform threads, not virtual ones: a read of a pipe holds its carrier thread, and past ~256
 * such readers (measured on JDK 25: 260 blocked readers) no virtual thread of the JVM runs any more — every agent of
 * {@code ./kumo up} shares that JVM.
 */
final class ContainerOutput {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerOutput.class);
    private static final long PUMP_STACK_BYTES = 256 * 1024;

    private final CriLogWriter writer;
    private final String container;
    private final AtomicInteger openPipes = new AtomicInteger(2);
    private final CountDownLatch closed = new CountDownLatch(1);

    private ContainerOutput(CriLogWriter writer, String container) {
        this.writer = writer;
        this.container = container;
    }

    /** Opens (or appends to) {@code file}; {@link #pump} then copies a process's output into it. */
    static ContainerOutput open(Path file, Clock clock, String container) throws IOException {
        return new ContainerOutput(new CriLogWriter(file, clock), container);
    }

    Path file() {
        return writer.file();
    }

    /** Starts copying both pipes of {@code process}; the file is closed when both have ended. */
    void pump(Process process) {
        start(process.getInputStream(), CriLogLine.STDOUT);
        start(process.getErrorStream(), CriLogLine.STDERR);
    }

    /** A process that never started: nothing will be written. */
    void abandon() {
        openPipes.set(0);
        closeFile();
    }

    private void start(InputStream pipe, String stream) {
        Thread.ofPlatform().daemon().name("process-output-" + container + "-" + stream).stackSize(PUMP_STACK_BYTES)
                .start(() -> {
                    try (pipe) {
                        writer.copy(pipe, stream);
                    } catch (IOException e) {
                        LOG.atWarn().addKeyValue("container", container).addKeyValue("stream", stream)
                                .addKeyValue("file", writer.file()).setCause(e)
                                .log("reading the container's output failed");
                    } finally {
                        if (openPipes.decrementAndGet() == 0) {
                            closeFile();
                        }
                    }
                });
    }

    /**
     * Waits until both pipes ended and what they held is in the file, at most {@code timeout} (a descendant that
     * outlives the process keeps them open); true when they did.
     */
    boolean awaitDrained(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether more may still be written: the file is open while a pipe is (the reader's "running"). */
    boolean writing() {
        return closed.getCount() > 0;
    }

    ContainerStreams.ContainerLog log() {
        return new ContainerStreams.ContainerLog(writer.file(), this::writing);
    }

    private void closeFile() {
        try {
            writer.close();
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("container", container).addKeyValue("file", writer.file()).setCause(e)
                    .log("closing the container's log failed");
        } finally {
            closed.countDown();
        }
    }
}
