package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;

import java.util.List;
import java.util.Map;

/**
 * A reconciler that takes several keys in one call, for loops whose work is cheaper together than one key at a
 * time: the scheduler places a batch of pending pods against one snapshot of the cluster instead of listing the
 * cluster once per pod. A host that receives several keys at once (an SQS batch) calls {@link #reconcileBatch}
 * when the loop's reconciler implements this interface; a host that has one key calls {@link #reconcile}, a batch
 * of one. The rules of {@link Reconciler} hold for every key of the batch.
 */
public interface BatchReconciler extends Reconciler {

    /**
     * Reconciles the keys (duplicates are one key). A thrown exception fails every key of the batch; a key that
     * failed on its own is in {@link Outcomes#failures()} and is retried like a thrown exception for that key.
     */
    Outcomes reconcileBatch(List<ObjectKey> keys) throws Exception;

    @Override
    default Result reconcile(ObjectKey key) throws Exception {
        return reconcileBatch(List.of(key)).resultFor(key);
    }

    /** What became of each key: a result, or the failure. A key in neither map is {@link Result#DONE}. */
    record Outcomes(Map<ObjectKey, Result> results, Map<ObjectKey, Exception> failures) {
        public Outcomes {
            results = Map.copyOf(results);
            failures = Map.copyOf(failures);
        }

        /** The key's result, or its failure thrown, as a per-key {@link Reconciler#reconcile} would end. */
        public Result resultFor(ObjectKey key) throws Exception {
            Exception failure = failures.get(key);
            if (failure != null) {
                throw failure;
            }
            return results.getOrDefault(key, Result.DONE);
        }
    }
}
