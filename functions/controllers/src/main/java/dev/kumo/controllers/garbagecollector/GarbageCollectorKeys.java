package dev.kumo.controllers.garbagecollector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.KeyMapper;

import java.util.List;

/**
 * The collector's keys for a change (its graph builder's event handling, as a pure function of one change):
 * <ul>
 *   <li>a deleted object → the sweep of its namespace ({@code garbagecollector.kumo.dev/sweep}, namespace,
 *       {@value #SWEEP_NAME}), or of the cluster for a cluster-scoped object: its dependents are found there, and a
 *       foreground owner it blocked is let go there;</li>
 *   <li>an object being deleted with the {@code foregroundDeletion} or {@code orphan} finalizer → itself;</li>
 *   <li>an object created with owner references → itself, so that a dependent created after its owner went is
 *       collected (kube's attemptToDelete of a dependent whose owner is a virtual node).</li>
 * </ul>
 * Events are never keys (kube-controller-manager ignores them). Updates of ordinary objects are not keys either:
 * kube reacts to an update only when its owner references change, which a single change does not show; node leases
 * and pod status would otherwise cost a check each. A reference made to a gone owner by an update is found by the next
 * sweep of the namespace, or by the periodic sweep of the cluster.
 */
final class GarbageCollectorKeys implements KeyMapper {
    /** The synthetic resource of sweep keys; it names no resource the API serves. */
    static final String SWEEP = "garbagecollector.kumo.dev/sweep";
    static final String SWEEP_NAME = "dependents";

    /** The sweep of {@code namespace}, or of the whole cluster for {@code ""}. */
    static ObjectKey sweep(String namespace) {
        return new ObjectKey(SWEEP, namespace, SWEEP_NAME);
    }

    @Override
    public List<ObjectKey> keysFor(WatchEvent change) {
        if (ApiResources.IGNORED.contains(change.key().resource())) {
            return List.of();
        }
        ObjectNode object = change.object();
        if (change.type() == WatchEvent.Type.DELETED) {
            return List.of(sweep(change.key().namespace()));
        }
        if (object == null) {
            // Encrypted at rest (secrets): the fan-out sees only the key, so the collector reads the object itself.
            return List.of(change.key());
        }
        if (Meta.isBeingDeleted(object)) {
            boolean collectorFinalizer = Owners.hasFinalizer(object, Owners.FOREGROUND)
                    || Owners.hasFinalizer(object, Owners.ORPHAN);
            return collectorFinalizer ? List.of(change.key()) : List.of();
        }
        if (change.type() == WatchEvent.Type.ADDED && !OwnerReference.of(object).isEmpty()) {
            return List.of(change.key());
        }
        return List.of();
    }
}
