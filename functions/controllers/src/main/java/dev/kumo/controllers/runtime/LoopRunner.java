package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs one batch of a loop's queue: each distinct key is reconciled once (reconcilers are level-triggered, so the
 * second message for a key in the same batch needs no second look), different keys in parallel. A key whose
 * reconcile throws fails with all its messages, and only those: the others of the batch are done. Requeue-after
 * becomes a delayed delivery; if that cannot be sent the key fails too, so it is never silently dropped.
 */
public final class LoopRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LoopRunner.class);
    /** Reconciles are I/O-bound (API calls); this many run at once per invocation. */
    static final int PARALLELISM = 16;

    /** A message of the loop's queue: its id (to report it failed) and its key. */
    public record Message(String id, ObjectKey key) {
    }

    private final ControlLoop loop;
    private final KeyQueues queues;

    public LoopRunner(ControlLoop loop, KeyQueues queues) {
        this.loop = loop;
        this.queues = queues;
    }

    /** Runs the batch; returns the ids of the messages that failed (to be retried, then dead-lettered). */
    public Set<String> run(List<Message> batch) throws InterruptedException {
        Map<ObjectKey, List<String>> idsByKey = new LinkedHashMap<>();
        for (Message message : batch) {
            idsByKey.computeIfAbsent(message.key(), k -> new ArrayList<>()).add(message.id());
        }
        if (loop.reconciler() instanceof BatchReconciler together) {
            return runBatch(together, idsByKey);
        }
        Map<ObjectKey, Future<Boolean>> outcomes = new LinkedHashMap<>();
        Semaphore permits = new Semaphore(PARALLELISM);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ObjectKey key : idsByKey.keySet()) {
                permits.acquire();
                outcomes.put(key, executor.submit(() -> {
                    try {
                        return runOne(key);
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        Set<String> failed = new HashSet<>();
        for (var outcome : outcomes.entrySet()) {
            if (!succeeded(outcome.getValue())) {
                failed.addAll(idsByKey.get(outcome.getKey()));
            }
        }
        return failed;
    }

    /** A loop that does its keys together (the scheduler: one snapshot for the batch) gets them in one call. */
    private Set<String> runBatch(BatchReconciler batch, Map<ObjectKey, List<String>> idsByKey) {
        Set<String> failed = new HashSet<>();
        long started = System.nanoTime();
        BatchReconciler.Outcomes outcomes;
        try {
            outcomes = batch.reconcileBatch(List.copyOf(idsByKey.keySet()));
        } catch (Exception e) {
            LOG.atError().setCause(e).addKeyValue("loop", loop.name()).addKeyValue("keys", idsByKey.size())
                    .log("batch reconcile failed; its keys will be retried");
            idsByKey.values().forEach(failed::addAll);
            return failed;
        }
        for (var entry : idsByKey.entrySet()) {
            ObjectKey key = entry.getKey();
            try {
                settle(key, outcomes.resultFor(key), started);
            } catch (Exception e) {
                logFailure(key, e); // the key's own failure, not this thread's: no interrupt to pass on
                failed.addAll(entry.getValue());
            }
        }
        return failed;
    }

    private boolean runOne(ObjectKey key) {
        long started = System.nanoTime();
        try {
            settle(key, loop.reconciler().reconcile(key), started);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.atWarn().addKeyValue("loop", loop.name()).addKeyValue("key", key).log("reconcile interrupted");
            return false;
        } catch (Exception e) {
            logFailure(key, e);
            return false;
        }
    }

    /**
     * A key's result, alone or from a batch: a requeue becomes a delayed delivery, and one that cannot be sent
     * throws (the caller fails the key, so it is not lost).
     */
    private void settle(ObjectKey key, Result result, long started) {
        if (result.requeue()) {
            queues.sendAfter(loop.name(), key, result.requeueAfter());
        }
        LOG.atDebug().addKeyValue("loop", loop.name()).addKeyValue("key", key)
                .addKeyValue("requeueAfter", result.requeueAfter())
                .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log("reconciled");
    }

    private void logFailure(ObjectKey key, Exception e) {
        LOG.atError().setCause(e).addKeyValue("loop", loop.name()).addKeyValue("key", key)
                .log("reconcile failed; the key will be retried");
    }

    private static boolean succeeded(Future<Boolean> outcome) throws InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            // runOne catches everything it can; this is a bug in the runner itself, so fail the key loudly.
            LOG.atError().setCause(e.getCause()).log("reconcile task failed");
            return false;
        }
    }
}
