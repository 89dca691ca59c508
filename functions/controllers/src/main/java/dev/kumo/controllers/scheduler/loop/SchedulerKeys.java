package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.KeyMapper;

import java.util.List;

/**
 * The scheduler's event handlers as a pure function of one change:
 * <ul>
 *   <li>a pod waiting for this scheduler ({@link PendingPods#isOurs}) → its own key (kube-scheduler's
 *       {@code addPodToSchedulingQueue} / {@code updatePodInSchedulingQueue});</li>
 *   <li>a change that may make room or change what fits — a node added, changed or removed, a bound pod deleted or
 *       finished — → {@link #CLUSTER_CHANGED}, the synthetic key that retries every pod marked Unschedulable
 *       (kube-scheduler's {@code MoveAllToActiveOrBackoffQueue} on a cluster event).</li>
 * </ul>
 * The change carries no old object, so a node update cannot be told apart from a heartbeat that changes nothing
 * the scheduler reads: every node change retries. Pods binding elsewhere are not cluster events here (kube-scheduler
 * moves pods waiting on required pod affinity when one appears); such a pod is retried by the resync.
 */
public final class SchedulerKeys implements KeyMapper {
    /** Synthetic key: "retry the pods marked Unschedulable", one queue group so retries never overlap. */
    public static final ObjectKey CLUSTER_CHANGED = ObjectKey.cluster("kumo.dev/unschedulable-pods", "retry");

    @Override
    public List<ObjectKey> keysFor(WatchEvent change) {
        return switch (change.key().resource()) {
            case "nodes" -> List.of(CLUSTER_CHANGED);
            case "pods" -> forPod(change);
            default -> List.of();
        };
    }

    private static List<ObjectKey> forPod(WatchEvent change) {
        ObjectNode pod = change.object();
        if (change.type() == WatchEvent.Type.DELETED) {
            // A bound pod that goes away gives its room back (a pending one held none).
            return PendingPods.isBound(pod) ? List.of(CLUSTER_CHANGED) : List.of();
        }
        if (PendingPods.isOurs(pod)) {
            return List.of(change.key());
        }
        if (PendingPods.isBound(pod) && PendingPods.isFinished(pod)) {
            return List.of(CLUSTER_CHANGED); // Succeeded or Failed: the API released its reservation
        }
        return List.of();
    }
}
