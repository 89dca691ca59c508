package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;

import java.time.Instant;
import java.util.List;

/**
 * The keys a loop wants looked at on the scheduled tick (every minute): periodic resync and time-based work, such
 * as a node whose lease went silent. Lists through the API; empty when a loop needs no resync.
 */
@FunctionalInterface
public interface ResyncSource {
    ResyncSource NONE = List::of;

    List<ObjectKey> keys() throws Exception;

    /**
     * The number of the minute tick at {@code instant}: whole minutes since the epoch, so that every host (the tick,
     * each loop's resync, a periodic resync) agrees which tick it is.
     */
    static long tick(Instant instant) {
        return Math.floorDiv(instant.toEpochMilli(), 60_000L);
    }
}
