package dev.kumo.cloud;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cloud loops' per-key back-off, the service controller's in Kubernetes (client-go's
 * {@code ItemExponentialFailureRateLimiter} with 5 s and 300 s): 5 s after the first failure, doubling up to 5
 * minutes, forgotten on success. Kept in the memory of the function instance, like kube's work queue: another
 * instance starts again at 5 s.
 */
public final class RetryBackoff {
    public static final Duration MIN = Duration.ofSeconds(5);
    public static final Duration MAX = Duration.ofMinutes(5);

    private final ConcurrentHashMap<Object, Integer> failures = new ConcurrentHashMap<>();

    /** Records a failure of {@code key}; the wait before its next try. */
    public Duration failed(Object key) {
        int count = failures.merge(key, 1, Integer::sum);
        long seconds = MIN.toSeconds() << Math.min(count - 1, 10);
        return seconds >= MAX.toSeconds() ? MAX : Duration.ofSeconds(seconds);
    }

    public void succeeded(Object key) {
        failures.remove(key);
    }
}
