package dev.kumo.cloud.node;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.KeyMapper;

import java.util.List;

/**
 * The cloud node controllers' keys: a node added or changed → the node. Its Ready condition going Unknown (node
 * lifecycle's write when the agent falls silent) is such a change, so a node whose instance was terminated is looked
 * at as soon as it is NotReady; the minute tick looks at every node as cloud-controller-manager's monitor period does.
 */
public final class CloudNodeKeys implements KeyMapper {
    @Override
    public List<ObjectKey> keysFor(WatchEvent change) {
        ObjectKey key = change.key();
        return key.resource().equals("nodes") && change.type() != WatchEvent.Type.DELETED ? List.of(key) : List.of();
    }
}
