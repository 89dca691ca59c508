package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.BatchReconciler;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.scheduler.Profile;
import dev.kumo.controllers.scheduler.ScheduleOutcome;
import dev.kumo.controllers.scheduler.Scheduler;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.PostFilterResult;
import dev.kumo.controllers.scheduler.loop.FailureRecorder.Failure;
import dev.kumo.controllers.scheduler.loop.SnapshotSource.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;

/**
 * kube-scheduler's {@code ScheduleOne} for a batch of keys: the pods of the batch are placed one after another, in
 * queue order, against ONE snapshot ({@link SnapshotSource}), each assumed into it before the next; then the
 * bindings, the failure writes and the events run in parallel, as kube-scheduler's binding cycles run in their own
 * goroutines.
 *
 * <ul>
 *   <li>A binding the API refuses (the node's room went to another scheduler meanwhile) is taken back out of the
 *       snapshot and the pod is scheduled again on a freshly listed snapshot, up to {@link #ROUNDS} times in the
 *       same call; after that its key is requeued after {@link #REFUSED_RETRY}.</li>
 *   <li>"No node fits" is written only from a snapshot listed for this call: a verdict from a reused snapshot is
 *       checked again on a fresh one, unless the pod already carries exactly that verdict (nothing to write).</li>
 *   <li>Pods whose placement depends on other pods' positions ({@link PodPositions}) are placed by one call at a
 *       time cluster-wide, the holder of the {@link PositionsLease}, on a list made after taking it, and bound
 *       before it is released (kube-scheduler is one active scheduler by leader election); a call that does not
 *       get the lease soon requeues them. The other pods are placed in parallel by every call.</li>
 *   <li>Preemption is performed: when the core's DefaultPreemption finds a node and victims on a fresh snapshot,
 *       the victims are deleted ({@link Preemptor}) and the pod is nominated to the node; the victims' deletion
 *       retries it ({@link SchedulerKeys#CLUSTER_CHANGED}).</li>
 *   <li>The key {@link SchedulerKeys#CLUSTER_CHANGED} retries every pod marked Unschedulable, on a fresh
 *       snapshot.</li>
 * </ul>
 * Thread-safe: calls may overlap; they schedule one at a time (the snapshot is shared) and write in parallel.
 */
public final class SchedulingReconciler implements BatchReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulingReconciler.class);
    static final int ROUNDS = 3;
    static final Duration REFUSED_RETRY = Duration.ofSeconds(1);
    /** kube-scheduler's {@code podMaxBackoffDuration}: a pod whose attempt failed with an error waits this long. */
    static final Duration ERROR_RETRY = Duration.ofSeconds(10);
    static final int PARALLEL_WRITES = 16;
    /**
     * How long a call waits for the {@link PositionsLease} before it requeues its position-dependent pods: holders
     * release it at the end of their call (a fresh list, the placements, the bindings), so a few holds fit.
     */
    static final Duration LEASE_WAIT = Duration.ofSeconds(2);
    /** A position-dependent pod whose call did not get the lease is tried again after this long. */
    static final Duration LEASE_RETRY = Duration.ofSeconds(1);

    private final KubeClient client;
    private final SnapshotSource snapshots;
    private final Scheduler scheduler;
    private final Binder binder;
    private final FailureRecorder failures;
    private final Preemptor preemptor;
    private final PositionsLease lease;
    private final ExecutorService io;
    private final Semaphore writes = new Semaphore(PARALLEL_WRITES);

    /** One pod to place: the key it came by (null when a retry found it) and whether a retry found it. */
    private record Attempt(ObjectKey key, ObjectNode pod, boolean retry) {
    }

    private record Bind(Attempt attempt, PodInfo placed) {
    }

    private record Write(Attempt attempt, Failure failure, PostFilterResult preemption, Result result) {
    }

    /**
     * What one scheduling pass decided: bindings and failure writes to make, pods for a fresh snapshot, and pods
     * whose placement depends on other pods' positions, left for the holder of the {@link PositionsLease}.
     */
    private record Plan(List<Bind> binds, List<Write> writes, List<Attempt> again, List<Attempt> positional) {
        Plan() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    SchedulingReconciler(ControllerContext context, Duration snapshotMaxAge, ExecutorService io,
                         RandomGenerator random) {
        this.client = context.client();
        this.io = io;
        this.snapshots = new SnapshotSource(client, io, snapshotMaxAge);
        this.scheduler = new Scheduler(Profile.defaults(), random);
        PodStatusUpdater status = new PodStatusUpdater(client, context.clock());
        this.binder = new Binder(client, context.events());
        this.failures = new FailureRecorder(status, context.events());
        this.preemptor = new Preemptor(client, status, context.events());
        this.lease = new PositionsLease(client, context.clock());
    }

    @Override
    public Outcomes reconcileBatch(List<ObjectKey> keys) throws InterruptedException {
        long started = System.nanoTime();
        Set<ObjectKey> distinct = new LinkedHashSet<>(keys);
        boolean retry = distinct.remove(SchedulerKeys.CLUSTER_CHANGED);
        List<ObjectKey> podKeys = new ArrayList<>();
        for (ObjectKey key : distinct) {
            if (isPodKey(key)) {
                podKeys.add(key);
            } else {
                LOG.atWarn().setMessage("not a key of the scheduler").addKeyValue("key", key).log();
            }
        }
        Tally tally = new Tally();
        // Reading the pods of a reused snapshot's batch needs no lock: do it before taking it.
        Map<ObjectKey, ObjectNode> fetched = !retry && snapshots.isReusable() ? fetch(podKeys) : null;
        Plan plan;
        synchronized (snapshots) {
            View view = retry ? snapshots.fresh() : snapshots.reuse();
            plan = decide(view, resolve(view, podKeys, fetched, retry, tally), null, tally);
        }
        List<Attempt> positional = new ArrayList<>();
        settle(plan, null, positional, tally);
        if (!positional.isEmpty()) {
            placeUnderLease(positional, tally);
        }
        LOG.atInfo().setMessage("scheduled a batch").addKeyValue("keys", distinct.size() + (retry ? 1 : 0))
                .addKeyValue("bound", tally.bound).addKeyValue("unschedulable", tally.unschedulable)
                .addKeyValue("refused", tally.refused).addKeyValue("positional", positional.size())
                .addKeyValue("leaseMissed", tally.leaseMissed).addKeyValue("failed", tally.failures.size())
                .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log();
        return new Outcomes(tally.results, tally.failures);
    }

    /**
     * Carries the plan out; pods whose binding was refused are placed again on a fresh list, up to {@link #ROUNDS}
     * rounds in all, then requeued. Without the lease ({@code hold} null) position-dependent pods found on the way
     * are added to {@code positional}; with it, it is renewed before each round's bindings, and a lost lease ends
     * the rounds (their pods requeued: another scheduler now places such pods).
     */
    private void settle(Plan plan, PositionsLease.Hold hold, List<Attempt> positional, Tally tally)
            throws InterruptedException {
        for (int round = 1; ; round++) {
            positional.addAll(plan.positional());
            if (hold != null && !hold.renew()) {
                abandon(plan, tally);
                return;
            }
            List<Attempt> again = carryOut(plan, tally);
            if (again.isEmpty()) {
                return;
            }
            if (round == ROUNDS) {
                again.forEach(attempt -> tally.result(attempt, Result.requeueAfter(REFUSED_RETRY)));
                return;
            }
            synchronized (snapshots) {
                View view = snapshots.fresh();
                plan = decide(view, refreshed(view, again, tally), hold, tally);
            }
        }
    }

    /**
     * Places the position-dependent pods as the one scheduler doing so ({@link PositionsLease}): on a list made after
     * taking the lease, so that every pod the previous holder bound is seen, binding before releasing it. A call
     * that does not get the lease in {@link #LEASE_WAIT} requeues them after {@link #LEASE_RETRY}.
     */
    private void placeUnderLease(List<Attempt> positional, Tally tally) throws InterruptedException {
        Optional<PositionsLease.Hold> acquired;
        try {
            acquired = lease.acquire(LEASE_WAIT);
        } catch (RuntimeException e) {
            // The API refused or failed the lease: only these pods' keys fail (and are retried by the host).
            positional.forEach(attempt -> tally.fail(attempt, e));
            return;
        }
        if (acquired.isEmpty()) {
            positional.forEach(attempt -> tally.result(attempt, Result.requeueAfter(LEASE_RETRY)));
            tally.leaseMissed = positional.size();
            LOG.atInfo().setMessage("another scheduler places pods that depend on other pods' positions; requeued")
                    .addKeyValue("lease", PositionsLease.NAMESPACE + "/" + PositionsLease.NAME)
                    .addKeyValue("pods", positional.stream().map(attempt -> keyOf(attempt.pod())).toList()).log();
            return;
        }
        PositionsLease.Hold hold = acquired.get();
        try {
            Plan plan;
            synchronized (snapshots) {
                View view = snapshots.fresh();
                plan = decide(view, refreshed(view, positional, tally), hold, tally);
            }
            settle(plan, hold, new ArrayList<>(), tally);
        } finally {
            try {
                hold.release();
            } catch (RuntimeException e) {
                // Not fatal: the lease expires after its duration and the next scheduler takes it over then.
                LOG.atError().setMessage("releasing the lease failed").addKeyValue("lease",
                        PositionsLease.NAMESPACE + "/" + PositionsLease.NAME).addKeyValue("holder", hold.identity())
                        .setCause(e).log();
            }
        }
    }

    /** The lease was lost before the plan was carried out: nothing of it is done, its pods are requeued. */
    private void abandon(Plan plan, Tally tally) {
        for (Bind bind : plan.binds()) {
            snapshots.forget(bind.placed());
            tally.result(bind.attempt(), Result.requeueAfter(LEASE_RETRY));
        }
        snapshots.invalidate();
        plan.writes().forEach(write -> tally.result(write.attempt(), Result.requeueAfter(LEASE_RETRY)));
        plan.again().forEach(attempt -> tally.result(attempt, Result.requeueAfter(LEASE_RETRY)));
    }

    private static boolean isPodKey(ObjectKey key) {
        return key.resource().equals(ResourceType.PODS.storageResource()) && !key.namespace().isEmpty()
                && !key.name().isEmpty();
    }

    /** The pods the keys name that still wait for this scheduler, and for a retry every pod marked Unschedulable. */
    private List<Attempt> resolve(View view, List<ObjectKey> podKeys, Map<ObjectKey, ObjectNode> fetched,
                                  boolean retry, Tally tally) {
        Map<ObjectKey, ObjectNode> pods;
        if (view.pending() != null) {
            pods = new HashMap<>();
            for (ObjectNode pod : view.pending()) {
                pods.put(keyOf(pod), pod);
            }
        } else {
            pods = fetched != null ? fetched : fetch(podKeys);
        }
        Map<ObjectKey, Attempt> attempts = new LinkedHashMap<>();
        for (ObjectKey key : podKeys) {
            ObjectNode pod = pods.get(key);
            if (pod != null && PendingPods.isOurs(pod)) {
                attempts.put(key, new Attempt(key, pod, false));
            } else {
                tally.result(key, Result.DONE); // bound, gone, or not ours: nothing to do
                LOG.atDebug().setMessage("pod needs no scheduling").addKeyValue("pod", key)
                        .addKeyValue("freshView", view.pending() != null).addKeyValue("found", pod != null).log();
            }
        }
        if (retry) {
            for (ObjectNode pod : view.pending()) {
                if (PendingPods.isMarkedUnschedulable(pod)) {
                    ObjectKey key = keyOf(pod);
                    Attempt byKey = attempts.get(key);
                    attempts.put(key, new Attempt(byKey == null ? null : key, pod, true));
                }
            }
        }
        return new ArrayList<>(attempts.values());
    }

    /** The pods as the fresh snapshot's list shows them; those no longer waiting are done. */
    private static List<Attempt> refreshed(View view, List<Attempt> again, Tally tally) {
        Map<ObjectKey, ObjectNode> pending = new HashMap<>();
        for (ObjectNode pod : view.pending()) {
            pending.put(keyOf(pod), pod);
        }
        List<Attempt> attempts = new ArrayList<>();
        for (Attempt attempt : again) {
            ObjectNode now = pending.get(keyOf(attempt.pod()));
            if (now != null && Meta.uid(now).equals(Meta.uid(attempt.pod()))) {
                attempts.add(new Attempt(attempt.key(), now, attempt.retry()));
            } else {
                tally.result(attempt, Result.DONE);
            }
        }
        return attempts;
    }

    /**
     * Schedules the pods one after another on the view, assuming each placement; the caller holds the lock. Without
     * the lease ({@code hold} null), pods whose placement depends on other pods' positions are left for its holder
     * (another invocation may be placing the pods they must keep away from or spread against at this moment).
     */
    private Plan decide(View view, List<Attempt> attempts, PositionsLease.Hold hold, Tally tally) {
        attempts.sort((a, b) -> PendingPods.QUEUE_ORDER.compare(a.pod(), b.pod()));
        Plan plan = new Plan();
        for (Attempt attempt : attempts) {
            PodInfo pod = PodInfo.of(attempt.pod());
            if (hold == null && PodPositions.dependOnOthers(pod, view.cluster(), view.waitingAntiAffinity())) {
                plan.positional().add(attempt);
                continue;
            }
            ScheduleOutcome outcome = scheduler.schedule(pod, view.cluster());
            switch (outcome) {
                case ScheduleOutcome.Scheduled scheduled -> plan.binds().add(
                        new Bind(attempt, snapshots.assume(scheduled.pod(), scheduled.nodeName())));
                case ScheduleOutcome.Unschedulable unschedulable -> {
                    PostFilterResult postFilter = unschedulable.postFilter();
                    boolean preempts = postFilter.status().isSuccess() && !postFilter.nominatedNode().isEmpty();
                    Failure failure = new Failure(PendingPods.UNSCHEDULABLE, unschedulable.message(), preempts
                            ? new FailureRecorder.Nominate(postFilter.nominatedNode()) : FailureRecorder.Nomination.KEEP);
                    noFit(view, plan, new Write(attempt, failure, preempts ? postFilter : null, Result.DONE), tally);
                }
                case ScheduleOutcome.Failed failed when view.cluster().size() == 0 -> noFit(view, plan,
                        new Write(attempt, new Failure(PendingPods.UNSCHEDULABLE, failed.message(),
                                FailureRecorder.Nomination.CLEAR), null, Result.DONE), tally);
                case ScheduleOutcome.Failed failed -> plan.writes().add(new Write(attempt,
                        new Failure(FailureRecorder.SCHEDULER_ERROR, failed.message(),
                                FailureRecorder.Nomination.CLEAR), null, Result.requeueAfter(ERROR_RETRY)));
            }
        }
        return plan;
    }

    /** No node fits: write it if the view was listed now; otherwise look again on a fresh one, unless it is news. */
    private static void noFit(View view, Plan plan, Write write, Tally tally) {
        if (view.fresh()) {
            plan.writes().add(write);
        } else if (!write.attempt().retry() && write.failure().isAlreadyOn(write.attempt().pod())) {
            tally.result(write.attempt(), Result.DONE); // the pod already says so: nothing to write or record
        } else {
            plan.again().add(write.attempt());
        }
    }

    /** Binds and writes in parallel; returns the pods to schedule again on a fresh snapshot. */
    private List<Attempt> carryOut(Plan plan, Tally tally) throws InterruptedException {
        List<Attempt> again = java.util.Collections.synchronizedList(new ArrayList<>(plan.again()));
        List<Runnable> tasks = new ArrayList<>();
        for (Bind bind : plan.binds()) {
            tasks.add(() -> bind(bind, again, tally));
        }
        for (Write write : plan.writes()) {
            tasks.add(() -> write(write, tally));
        }
        inParallel(tasks);
        return new ArrayList<>(again);
    }

    private void bind(Bind bind, List<Attempt> again, Tally tally) {
        PodInfo placed = bind.placed();
        Binder.Outcome outcome;
        try {
            outcome = binder.bind(bind.attempt().pod(), placed.nodeName());
        } catch (RuntimeException e) {
            // It may have bound after all (a timeout): only a fresh list can tell.
            snapshots.forget(placed);
            snapshots.invalidate();
            tally.fail(bind.attempt(), e);
            return;
        }
        switch (outcome) {
            case Binder.Bound bound -> {
                snapshots.bound(placed);
                tally.bound(bind.attempt());
                LOG.atDebug().setMessage("bound").addKeyValue("pod", placed.key())
                        .addKeyValue("node", placed.nodeName()).log();
            }
            case Binder.Refused refused -> {
                snapshots.forget(placed);
                snapshots.invalidate();
                tally.refused(bind.attempt(), again);
                LOG.atInfo().setMessage("binding refused; scheduling again on a fresh snapshot")
                        .addKeyValue("pod", placed.key()).addKeyValue("node", placed.nodeName())
                        .addKeyValue("reason", refused.reason()).log();
            }
            case Binder.Moot moot -> {
                snapshots.forget(placed);
                tally.result(bind.attempt(), Result.DONE);
                LOG.atInfo().setMessage("binding not needed any more").addKeyValue("pod", placed.key())
                        .addKeyValue("reason", moot.reason()).log();
            }
        }
    }

    private void write(Write write, Tally tally) {
        Attempt attempt = write.attempt();
        try {
            PostFilterResult preemption = write.preemption();
            if (preemption != null) {
                preemptor.preempt(PodInfo.of(attempt.pod()), preemption.nominatedNode(), preemption.victims());
            }
            failures.record(attempt.pod(), write.failure(), attempt.retry());
            tally.unschedulable(attempt, write.result());
            LOG.atInfo().setMessage("pod not scheduled").addKeyValue("pod", keyOf(attempt.pod()))
                    .addKeyValue("reason", write.failure().reason())
                    .addKeyValue("message", write.failure().message()).log();
        } catch (RuntimeException e) {
            tally.fail(attempt, e);
        }
    }

    private Map<ObjectKey, ObjectNode> fetch(List<ObjectKey> keys) {
        Map<ObjectKey, ObjectNode> pods = new ConcurrentHashMap<>();
        List<Runnable> reads = new ArrayList<>();
        for (ObjectKey key : keys) {
            reads.add(() -> {
                Optional<ObjectNode> pod = client.get(ResourceType.PODS, key.namespace(), key.name());
                pod.ifPresent(found -> pods.put(key, found));
            });
        }
        try {
            inParallel(reads);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading pods", e);
        }
        return pods;
    }

    /** Runs the tasks on the I/O executor, at most {@link #PARALLEL_WRITES} at once, and waits for all. */
    private void inParallel(List<Runnable> tasks) throws InterruptedException {
        List<Future<?>> running = new ArrayList<>(tasks.size());
        for (Runnable task : tasks) {
            running.add(io.submit(() -> {
                writes.acquireUninterruptibly();
                try {
                    task.run();
                } finally {
                    writes.release();
                }
            }));
        }
        RuntimeException first = null;
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException cause ? cause
                            : new IllegalStateException(e.getCause());
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static ObjectKey keyOf(ObjectNode pod) {
        return new ObjectKey(ResourceType.PODS.storageResource(), Meta.namespace(pod), Meta.name(pod));
    }

    /** The batch's outcomes per key; a pod a retry found answers through the retry's key. Thread-safe. */
    private static final class Tally {
        final Map<ObjectKey, Result> results = new ConcurrentHashMap<>();
        final Map<ObjectKey, Exception> failures = new ConcurrentHashMap<>();
        int bound;
        int unschedulable;
        int refused;
        int leaseMissed;

        void result(ObjectKey key, Result result) {
            results.merge(key, result, Result::orSooner);
        }

        void result(Attempt attempt, Result result) {
            result(attempt.key() != null ? attempt.key() : SchedulerKeys.CLUSTER_CHANGED, result);
        }

        synchronized void bound(Attempt attempt) {
            bound++;
            result(attempt, Result.DONE);
        }

        synchronized void unschedulable(Attempt attempt, Result result) {
            unschedulable++;
            result(attempt, result);
        }

        synchronized void refused(Attempt attempt, List<Attempt> again) {
            refused++;
            again.add(attempt);
        }

        void fail(Attempt attempt, Exception e) {
            LOG.atError().setMessage("scheduling a pod failed").addKeyValue("pod", keyOf(attempt.pod()))
                    .setCause(e).log();
            failures.putIfAbsent(attempt.key() != null ? attempt.key() : SchedulerKeys.CLUSTER_CHANGED, e);
        }
    }
}
