package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;

/**
 * One level-triggered step of a control loop, as kube-controller-manager's sync handlers: given a key, read what
 * is, act to make it what should be, and say whether to look again later. It must be harmless to run again, late or
 * out of order, and may run at the same time as other keys (never the same key: the queues group by key). A thrown
 * exception means "failed": the key is retried with back-off and ends in the dead-letter queue if it keeps failing.
 */
@FunctionalInterface
public interface Reconciler {
    Result reconcile(ObjectKey key) throws Exception;
}
