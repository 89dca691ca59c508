package dev.kumo.apiserver.handlers;

import java.time.Duration;

/**
 * When a watch that allows bookmarks sends one. kube-apiserver sends a bookmark roughly every minute whether or not
 * anything changed; kumo does too, and also, at most every 10 s, when the resource type moved on past the last event
 * the watch sent (events another namespace or selector filtered out), so a resuming client starts close to now.
 * The heartbeat is also how a streaming host learns that the client of an idle watch has left: only a write to the
 * connection can fail. Times are {@link System#nanoTime()} values.
 */
final class BookmarkSchedule {
    /** kube-apiserver's bookmark frequency (the cacher's {@code bookmarkFrequency}). */
    static final Duration HEARTBEAT = Duration.ofMinutes(1);
    static final Duration PROGRESS = Duration.ofSeconds(10);

    private final long heartbeatNanos;
    private final long progressNanos;
    private long lastNanos;

    BookmarkSchedule(Duration heartbeat, Duration progress, long startNanos) {
        this.heartbeatNanos = heartbeat.toNanos();
        this.progressNanos = progress.toNanos();
        this.lastNanos = startNanos;
    }

    static BookmarkSchedule startingAt(long startNanos) {
        return new BookmarkSchedule(HEARTBEAT, PROGRESS, startNanos);
    }

    /** Whether a bookmark is due; {@code advanced}: the watch's cursor is past the last revision it sent. */
    boolean due(long nowNanos, boolean advanced) {
        long since = nowNanos - lastNanos;
        return since >= heartbeatNanos || advanced && since >= progressNanos;
    }

    void sent(long nowNanos) {
        lastNanos = nowNanos;
    }

    /** How long the watch may wait for events before the next heartbeat is due. */
    Duration untilHeartbeat(long nowNanos) {
        return Duration.ofNanos(Math.max(0, lastNanos + heartbeatNanos - nowNanos));
    }
}
