package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;

import java.util.List;

/**
 * Which keys of one loop a change in the store calls for (kube-controller-manager's informer event handlers, as a
 * pure function of the change): the object itself, its owner, the objects that depend on it. It sees only the
 * change, so anything that needs a read (the services selecting a pod) is a key the reconciler resolves. The
 * change's object is null for resources encrypted at rest (secrets by default, configmaps if configured): the
 * fan-out holds no key to read them, so a mapper that sees those resources must take a key-only change.
 */
@FunctionalInterface
public interface KeyMapper {
    List<ObjectKey> keysFor(WatchEvent change);
}
