package dev.kumo.node.cri;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's back-off (client-go's {@code flowcontrol.Backoff}) for image pulls and container restarts: per key,
 * a delay that starts at 10 s and doubles up to 5 minutes with each try that fails again within it, and starts over
 * once a key has had no trouble for twice the maximum.
 */
public final class BackOff {
    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofMinutes(5);

    private record Entry(Duration delay, Instant lastUpdate) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** Whether {@code key} is still backing off from what happened at {@code since}. */
    public boolean inBackOffSince(String key, Instant since, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null || hasExpired(entry, now)) {
            return false;
        }
        return now.isBefore(since.plus(entry.delay()));
    }

    /** Whether {@code key} is still backing off from its last try (the kubelet's IsInBackOffSinceUpdate). */
    boolean inBackOffSinceUpdate(String key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null || hasExpired(entry, now)) {
            return false;
        }
        return now.isBefore(entry.lastUpdate().plus(entry.delay()));
    }

    /** Records a try at {@code now}: the key's next delay is the initial one, or twice the last. */
    public void next(String key, Instant now) {
        entries.compute(key, (k, entry) -> {
            if (entry == null || hasExpired(entry, now)) {
                return new Entry(INITIAL, now);
            }
            Duration doubled = entry.delay().multipliedBy(2);
            return new Entry(doubled.compareTo(MAX) > 0 ? MAX : doubled, now);
        });
    }

    /** The key's current delay (zero when it has none). */
    public Duration delay(String key) {
        Entry entry = entries.get(key);
        return entry == null ? Duration.ZERO : entry.delay();
    }

    void forget(String key) {
        entries.remove(key);
    }

    /** Drops every key that starts with {@code prefix} (a pod's, once it is gone). */
    public void forgetPrefix(String prefix) {
        entries.keySet().removeIf(key -> key.startsWith(prefix));
    }

    private static boolean hasExpired(Entry entry, Instant now) {
        return now.isAfter(entry.lastUpdate().plus(MAX.multipliedBy(2)));
    }
}
