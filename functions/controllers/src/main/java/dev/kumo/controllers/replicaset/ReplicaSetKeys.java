package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.KeyMapper;

import java.util.List;
import java.util.Optional;

/**
 * The replica set loop's keys, kube-controller-manager's ReplicaSet event handlers as a function of one change:
 * <ul>
 *   <li>a replica set → itself ({@code apps/replicasets:ns/name});</li>
 *   <li>a pod with a controller reference to a ReplicaSet → that replica set (created, changed or deleted:
 *       a pod gone or terminating is a replica to replace);</li>
 *   <li>a pod without a controller, not being deleted → the synthetic <em>orphan pod</em> key
 *       {@code pods:ns/name}: the reconciler looks for the replica sets of the namespace whose selector matches
 *       it and lets one adopt it. A deleted orphan concerns no replica set.</li>
 * </ul>
 * A pod whose controller changed from one replica set to another reaches only the new one: the old one notices
 * when something else about it changes (Kubernetes wakes both, as its informer has the old object).
 */
public final class ReplicaSetKeys implements KeyMapper {
    static final String REPLICA_SETS = ResourceType.REPLICA_SETS.storageResource();
    static final String PODS = ResourceType.PODS.storageResource();

    @Override
    public List<ObjectKey> keysFor(WatchEvent change) {
        String resource = change.key().resource();
        if (resource.equals(REPLICA_SETS)) {
            return List.of(change.key());
        }
        if (!resource.equals(PODS) || change.object() == null) {
            return List.of();
        }
        JsonNode pod = change.object();
        Optional<JsonNode> controller = OwnerReferences.controllerOf(pod);
        if (controller.isPresent()) {
            if (!OwnerReferences.refersTo(controller.get(), "apps", ReplicaSetSync.KIND)) {
                return List.of();
            }
            return List.of(new ObjectKey(REPLICA_SETS, change.key().namespace(),
                    controller.get().path("name").asText("")));
        }
        if (change.type() == WatchEvent.Type.DELETED || Meta.isBeingDeleted(pod)) {
            return List.of();
        }
        return List.of(orphanPodKey(change.key().namespace(), change.key().name()));
    }

    /** The synthetic key of an orphan pod: "find it a replica set" (resource {@code pods} in this loop). */
    public static ObjectKey orphanPodKey(String namespace, String podName) {
        return new ObjectKey(PODS, namespace, podName);
    }
}
