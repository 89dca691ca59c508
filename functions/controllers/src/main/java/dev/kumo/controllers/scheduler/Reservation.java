package dev.kumo.controllers.scheduler;

/**
 * The seam between choosing a node and the placement counting: kube-scheduler's Reserve and Bind, as one step.
 *
 * <p>{@link Scheduler#scheduleOne} assumes the pod into its snapshot first (so that the next cycle in the same
 * invocation already sees it), then calls {@link #reserve}. An implementation for the API makes the placement
 * durable in one conditional transaction: add {@link Assignment#podRequests()} to the node's allocation record on
 * the condition that the record still leaves room ({@link Assignment#fitsOn}), and write the pod's binding. Only if
 * both commit does it return {@link Result#reserved()}; if the condition fails (another scheduler invocation took the
 * room first) it returns {@link Result#rejected}, and the scheduler forgets the pod from the snapshot. That is how
 * parallel invocations never overcommit a node: the check happens where the write happens, not in any one
 * scheduler's memory.
 */
@FunctionalInterface
public interface Reservation {

    Result reserve(Assignment assignment);

    /** Whether the placement holds; a rejection says why, for the log and the retry. */
    record Result(boolean isReserved, String reason) {
        public static Result reserved() {
            return new Result(true, "");
        }

        public static Result rejected(String reason) {
            return new Result(false, reason);
        }
    }

    /**
     * Records nothing outside the snapshot: for simulations and benchmarks of the scheduling core, where the
     * snapshot is the only state there is.
     */
    Reservation IN_MEMORY = assignment -> Result.reserved();
}
