package dev.kumo.controllers.nodelifecycle;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.KeyMapper;

import java.util.List;

/**
 * The node lifecycle controller's keys: a node that is added or changes (its kubelet posting status, taints and
 * conditions changing) → the node ({@code nodes}, "", name); a Lease in {@code kube-node-lease} created or deleted →
 * the node of the same name. Lease renewals are not keys: a node renews every 10 s, and a renewal changes nothing
 * the controller does (a node coming back is seen by its kubelet posting Ready); silence is what matters, and nothing
 * is written when a node goes quiet, so the minute tick ({@link NodeLifecycle#resync}) and the requeue at the end of
 * each grace period find it.
 */
final class NodeLifecycleKeys implements KeyMapper {
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    private static final String LEASES = "coordination.k8s.io/leases";

    @Override
    public List<ObjectKey> keysFor(WatchEvent change) {
        ObjectKey key = change.key();
        if (key.resource().equals("nodes") && change.type() != WatchEvent.Type.DELETED) {
            return List.of(key);
        }
        if (key.resource().equals(LEASES) && key.namespace().equals(NODE_LEASE_NAMESPACE)
                && change.type() != WatchEvent.Type.MODIFIED) {
            return List.of(ObjectKey.cluster("nodes", key.name()));
        }
        return List.of();
    }
}
