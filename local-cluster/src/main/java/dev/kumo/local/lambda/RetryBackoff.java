package dev.kumo.local.lambda;

import java.time.Duration;

/** Exponential backoff between retries of a failed batch, a throttled invocation or a failed AWS call. */
record RetryBackoff(Duration initial, Duration maximum) {

    static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    /** The pause before retry number {@code attempt} (1 for the first retry). */
    Duration delay(int attempt) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 30);
        Duration delay = initial.multipliedBy(1L << doublings);
        return delay.compareTo(maximum) > 0 ? maximum : delay;
    }
}
