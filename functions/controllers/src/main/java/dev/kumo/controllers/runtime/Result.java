package dev.kumo.controllers.runtime;

import java.time.Duration;

/**
 * What a reconcile asks for next: nothing ({@link #DONE}) or another look at the same key after a while (a delayed
 * message; time-based work such as minReadySeconds, progress deadlines and toleration seconds).
 */
public record Result(Duration requeueAfter) {
    public static final Result DONE = new Result(null);

    public static Result requeueAfter(Duration after) {
        if (after.isNegative()) {
            after = Duration.ZERO;
        }
        return new Result(after);
    }

    public boolean requeue() {
        return requeueAfter != null;
    }

    /** The sooner of two requests: a reconciler that finds several things to wait for keeps the earliest. */
    public Result orSooner(Result other) {
        if (!requeue()) {
            return other;
        }
        if (!other.requeue()) {
            return this;
        }
        return requeueAfter.compareTo(other.requeueAfter) <= 0 ? this : other;
    }
}
