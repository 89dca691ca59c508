package dev.kumo.apimachinery.store.dynamodb;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Wakes watchers in this process as soon as a write of their resource commits here, so that they need not poll
 * DynamoDB in a tight loop. Writes by other processes are still found by the watchers' periodic poll.
 */
final class WriteNotifier {
    private final Map<String, Object> monitors = new ConcurrentHashMap<>();
    private final Map<String, Long> latest = new ConcurrentHashMap<>();

    void committed(String resource, long revision) {
        latest.merge(resource, revision, Math::max);
        Object monitor = monitors.get(resource);
        if (monitor != null) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /** Waits until a write after {@code afterRevision} committed in this process, or the timeout passed. */
    void awaitWriteAfter(String resource, long afterRevision, long timeoutMillis) throws InterruptedException {
        Object monitor = monitors.computeIfAbsent(resource, r -> new Object());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (monitor) {
            while (latest.getOrDefault(resource, 0L) <= afterRevision) {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining <= 0) {
                    return;
                }
                monitor.wait(remaining);
            }
        }
    }
}
