package dev.kumo.apimachinery.store.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a resource's log in revision order without ever stepping over a revision that is allocated but not yet
 * visible. Such a gap is a write in flight: the reader stops before it and waits. A gap older than the gap
 * timeout belongs to a writer that died (or stalled) between taking its revision and committing; the reader claims
 * it with a filler, as kine does, and moves on. Readers in one process share what they know about gaps.
 */
final class ContiguousReader {
    private final EventLog log;
    private final Clock clock;
    private final Duration gapTimeout;
    private final Map<String, Long> gapFirstSeenMillis = new ConcurrentHashMap<>();

    ContiguousReader(EventLog log, Clock clock, Duration gapTimeout) {
        this.log = log;
        this.clock = clock;
        this.gapTimeout = gapTimeout;
    }

    /**
     * What a read found.
     *
     * @param entries       the writes (fillers left out) in (after, through], in order
     * @param through       every revision up to here is accounted for
     * @param blockedByGap  reading stopped at a gap that is still young: read again shortly
     * @param exhausted     false when the read hit its limit and more entries may follow at once
     */
    record Result(List<LogEntry> entries, long through, boolean blockedByGap, boolean exhausted) {
    }

    /** Reads after {@code after}, at most through {@code through} ({@link Long#MAX_VALUE}: as far as the log goes). */
    Result read(String resource, long after, long through, int limit) {
        List<LogEntry> found = log.readAfter(resource, after, through, limit);
        List<LogEntry> accepted = new ArrayList<>(found.size());
        long expected = after + 1;
        int i = 0;
        while (i < found.size()) {
            LogEntry entry = found.get(i);
            if (entry.revision() == expected) {
                if (!entry.isFiller()) {
                    accepted.add(entry);
                }
                forgetGap(resource, expected);
                expected++;
                i++;
            } else if (!claimIfStale(resource, expected)) {
                return new Result(accepted, expected - 1, true, true);
            } else {
                expected++;
            }
        }
        boolean exhausted = found.size() < limit;
        // Revisions the caller knows were allocated but the log does not show yet: the tail is in flight.
        while (exhausted && through != Long.MAX_VALUE && expected <= through) {
            if (!claimIfStale(resource, expected)) {
                return new Result(accepted, expected - 1, true, true);
            }
            expected++;
        }
        return new Result(accepted, expected - 1, false, exhausted);
    }

    /** True if the gap at {@code revision} is older than the timeout and this reader filled it. */
    private boolean claimIfStale(String resource, long revision) {
        long now = clock.millis();
        long firstSeen = gapFirstSeenMillis.computeIfAbsent(gapKey(resource, revision), k -> now);
        if (now - firstSeen < gapTimeout.toMillis()) {
            return false;
        }
        if (log.fill(resource, revision, now)) {
            forgetGap(resource, revision);
            return true;
        }
        return false; // the writer committed after all; the next read sees its event
    }

    private void forgetGap(String resource, long revision) {
        if (!gapFirstSeenMillis.isEmpty()) {
            gapFirstSeenMillis.remove(gapKey(resource, revision));
        }
    }

    private static String gapKey(String resource, long revision) {
        return resource + "@" + revision;
    }
}
