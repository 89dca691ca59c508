package dev.kumo.node.pods;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * client-go's work queue in small: a key added several times before a worker takes it is worked on once; a key
 * is never worked on by two workers at once (one added while it is being worked on is queued again when the
 * worker is {@link #done}); failed keys come back after a per-key back-off.
 */
final class WorkQueue<K> {
    private static final long INITIAL_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final ArrayDeque<K> queue = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private boolean shutDown;

    synchronized void add(K key) {
        if (shutDown || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            queue.add(key);
            notifyAll();
        }
    }

    /** Adds the key again after its back-off, which doubles with each failure (0.5 s to 30 s); returns the delay. */
    Duration retry(K key) {
        long delay;
        synchronized (this) {
            int failed = failures.merge(key, 1, Integer::sum);
            delay = Math.min(MAX_BACKOFF_MILLIS, INITIAL_BACKOFF_MILLIS << Math.min(failed - 1, 16));
        }
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> add(key));
        return Duration.ofMillis(delay);
    }

    /** Adds the key after {@code delay} (a periodic look at it). */
    void addAfter(K key, Duration delay) {
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> add(key));
    }

    /** The key worked fine: its next failure starts the back-off afresh. */
    synchronized void forget(K key) {
        failures.remove(key);
    }

    /** The next key to work on, or null once the queue is shut down. */
    synchronized K take() throws InterruptedException {
        while (queue.isEmpty() && !shutDown) {
            wait();
        }
        if (shutDown) {
            return null;
        }
        K key = queue.poll();
        dirty.remove(key);
        processing.add(key);
        return key;
    }

    synchronized void done(K key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.add(key);
            notifyAll();
        }
    }

    synchronized void shutDown() {
        shutDown = true;
        notifyAll();
    }
}
