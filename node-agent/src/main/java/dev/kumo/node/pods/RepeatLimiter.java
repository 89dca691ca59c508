package dev.kumo.node.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often a repeated report (an event that a pod waiting in a back-off would otherwise record at every sync) is
 * made: the kubelet meets such a pod again after its pod worker's back-off period of {@value #PERIOD_SECONDS} s, and
 * records the event then; this agent looks at running pods every second, so it records them at most once per period.
 */
public final class RepeatLimiter {
    static final long PERIOD_SECONDS = 10;
    private static final Duration PERIOD = Duration.ofSeconds(PERIOD_SECONDS);

    private final Map<String, Instant> last = new ConcurrentHashMap<>();

    /** Whether the report {@code key} is due at {@code now} (and if so, notes that it was made). */
    public boolean due(String key, Instant now) {
        boolean[] due = {false};
        last.compute(key, (k, previous) -> {
            if (previous == null || !now.isBefore(previous.plus(PERIOD))) {
                due[0] = true;
                return now;
            }
            return previous;
        });
        return due[0];
    }

    /** Forgets every key that starts with {@code prefix} (a pod's, once it is gone). */
    public void forgetPrefix(String prefix) {
        last.keySet().removeIf(key -> key.startsWith(prefix));
    }
}
