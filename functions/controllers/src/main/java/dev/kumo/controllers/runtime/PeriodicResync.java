package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A resync that runs on some of the minute ticks only: every {@code period} (whole minutes, counted from the epoch,
 * so every host agrees which tick it is). kube-controller-manager resyncs its informers every 12 hours or more;
 * a loop that lists a whole resource on every tick would pay for a read per object per minute while idle.
 */
public final class PeriodicResync implements ResyncSource {
    private final Clock clock;
    private final long periodMinutes;
    private final ResyncSource source;

    public PeriodicResync(Clock clock, Duration period, ResyncSource source) {
        if (period.toMinutes() < 1) {
            throw new IllegalArgumentException("a resync period is at least a minute: " + period);
        }
        this.clock = clock;
        this.periodMinutes = period.toMinutes();
        this.source = source;
    }

    @Override
    public List<ObjectKey> keys() throws Exception {
        return ResyncSource.tick(clock.instant()) % periodMinutes == 0 ? source.keys() : List.of();
    }
}
