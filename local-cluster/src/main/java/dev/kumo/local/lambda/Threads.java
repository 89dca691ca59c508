package dev.kumo.local.lambda;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/** Thread naming and shutdown shared by the host's executors, so a thread dump says who owns each thread. */
final class Threads {

    /** How long close() waits for a thread to finish after interrupting it. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private Threads() {
    }

    /** Daemon threads named {@code prefix-1, prefix-2, ...}: a forgotten close() must not keep the JVM alive. */
    static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Interrupts the executor's threads and waits for them; returns false (and says so) if some outlive the grace. */
    static boolean shutdown(ExecutorService executor, String owner, Logger log) {
        executor.shutdownNow();
        try {
            if (executor.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            log.atWarn().addKeyValue("owner", owner)
                    .log("Threads still running {} after interrupt; they ignore interruption", SHUTDOWN_GRACE);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sleeps, turning an interrupt into the caller's signal to stop. */
    static void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration);
        }
    }
}
