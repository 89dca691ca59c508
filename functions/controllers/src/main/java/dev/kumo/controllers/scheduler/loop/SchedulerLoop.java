package dev.kumo.controllers.scheduler.loop;

import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.KeyMapper;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * kube-scheduler as a control loop, under the {@code system:kube-scheduler} identity: keys from
 * {@link SchedulerKeys}, a {@link SchedulingReconciler} (a batch reconciler: hosts that have several keys at once
 * should hand them over together), and {@link UnschedulableResync} on the tick. The host's
 * {@link dev.kumo.apimachinery.client.events.EventRecorder} should report as {@link #EVENT_SOURCE}, the component
 * kube-scheduler's events name.
 */
public final class SchedulerLoop {
    public static final String NAME = "scheduler";
    /** kube-scheduler's events carry the profile's scheduler name as their source. */
    public static final String EVENT_SOURCE = PendingPods.SCHEDULER_NAME;
    /**
     * How long one process reuses its listed snapshot (kept current with its own placements). What other
     * invocations bind meanwhile is invisible to it until the next list: the API refuses a binding that no longer
     * fits (the pod is placed again on a fresh list), verdicts of "no node fits" and placements that depend on other
     * pods' positions always use a fresh list, so a stale snapshot costs at most placement quality (scores). Each
     * list reads every pod of the cluster, which is what a longer age saves.
     */
    public static final Duration SNAPSHOT_MAX_AGE = Duration.ofSeconds(5);

    private SchedulerLoop() {
    }

    /** The loop's key mapper alone (it needs no API client): what the fan-out runs. */
    public static KeyMapper keys() {
        return new SchedulerKeys();
    }

    public static ControlLoop loop(ControllerContext context) {
        return loop(context, SNAPSHOT_MAX_AGE);
    }

    /** The loop with its own snapshot age (tests use zero: every batch lists the cluster). */
    public static ControlLoop loop(ControllerContext context, Duration snapshotMaxAge) {
        // Virtual threads: the bindings and writes of a batch wait on the API, not on the CPU.
        ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
        return new ControlLoop(NAME, keys(),
                new SchedulingReconciler(context, snapshotMaxAge, io, RandomGenerator.getDefault()),
                new UnschedulableResync(context.client(), context.clock()));
    }
}
