package dev.kumo.apiserver.controllers;

/**
 * A level-triggered control loop step: given a key, read what is, make it what should be, and be harmless when run
 * again or out of order. The API server runs these right after the writes that call for them; kumo's control-loop
 * functions will run the same reconcilers from the store's stream and on a periodic resync.
 */
public interface Reconciler {
    void reconcile(String key);
}
