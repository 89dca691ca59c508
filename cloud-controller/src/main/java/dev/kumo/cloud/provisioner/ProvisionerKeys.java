package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.scheduler.loop.PendingPods;

import java.util.List;

/**
 * The provisioner's keys as a pure function of one change:
 * <ul>
 *   <li>a NodePool → its key; a Node of a pool (label {@code kumo.dev/node-pool}) added, changed or deleted → its
 *       pool's key;</li>
 *   <li>a pod the scheduler marked Unschedulable → {@link #SCALE_UP}, one key for every pool, since choosing the
 *       pool is the decision.</li>
 * </ul>
 * A pod leaving a pool's node is no key (the pod does not name the pool): the minute tick looks at every pool, so a
 * node is seen empty within a minute, and its TTL runs from then.
 */
public final class ProvisionerKeys implements KeyMapper {
    public static final String POOLS = "kumo.dev/nodepools";
    /** Synthetic key: "size the pools for the unschedulable pods". */
    public static final ObjectKey SCALE_UP = ObjectKey.cluster("kumo.dev/provisioner", "scale-up");

    public static ObjectKey pool(String name) {
        return ObjectKey.cluster(POOLS, name);
    }

    @Override
    public List<ObjectKey> keysFor(WatchEvent change) {
        ObjectKey key = change.key();
        return switch (key.resource()) {
            case POOLS -> List.of(pool(key.name()));
            case "nodes" -> forNode(change.object());
            case "pods" -> change.type() != WatchEvent.Type.DELETED && change.object() != null
                    && PendingPods.isOurs(change.object()) && PendingPods.isMarkedUnschedulable(change.object())
                    ? List.of(SCALE_UP) : List.of();
            default -> List.of();
        };
    }

    private static List<ObjectKey> forNode(ObjectNode node) {
        String pool = node == null ? "" : node.path("metadata").path("labels").path(NodePool.POOL_LABEL).asText("");
        return pool.isEmpty() ? List.of() : List.of(pool(pool));
    }
}
