package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.replicaset.OwnerReferences;
import dev.kumo.controllers.runtime.KeyMapper;

import java.util.List;
import java.util.Optional;

/**
 * The deployment loop's keys, kube-controller-manager's Deployment event handlers as a function of one change:
 * <ul>
 *   <li>a deployment → itself ({@code apps/deployments:ns/name});</li>
 *   <li>a replica set controlled by a Deployment → that deployment (its status and size drive the rollout);</li>
 *   <li>a replica set without a controller, not being deleted → the synthetic <em>orphan replica set</em> key
 *       {@code apps/replicasets:ns/name}: the reconciler lets the oldest deployment of the namespace whose
 *       selector matches it adopt it;</li>
 *   <li>a pod deleted that a deployment's replica set controlled → that deployment, which a Recreate rollout
 *       waits on (Kubernetes' {@code deletePod}: the replica set's status does not change when a pod that was
 *       already terminating goes away). The deployment is the replica set's name without its last
 *       {@code -<pod-template-hash>}, taken from the pod's own label.</li>
 * </ul>
 */
public final class DeploymentKeys implements KeyMapper {
    static final String DEPLOYMENTS = ResourceType.DEPLOYMENTS.storageResource();
    static final String REPLICA_SETS = ResourceType.REPLICA_SETS.storageResource();
    static final String PODS = ResourceType.PODS.storageResource();

    @Override
    public List<ObjectKey> keysFor(WatchEvent change) {
        String resource = change.key().resource();
        String namespace = change.key().namespace();
        if (resource.equals(DEPLOYMENTS)) {
            return List.of(change.key());
        }
        if (change.object() == null) {
            return List.of();
        }
        Optional<JsonNode> controller = OwnerReferences.controllerOf(change.object());
        if (resource.equals(REPLICA_SETS)) {
            if (controller.isPresent()) {
                return OwnerReferences.refersTo(controller.get(), "apps", DeploymentRun.KIND)
                        ? List.of(new ObjectKey(DEPLOYMENTS, namespace, controller.get().path("name").asText()))
                        : List.of();
            }
            if (change.type() == WatchEvent.Type.DELETED || Meta.isBeingDeleted(change.object())) {
                return List.of();
            }
            return List.of(orphanReplicaSetKey(namespace, change.key().name()));
        }
        if (resource.equals(PODS) && change.type() == WatchEvent.Type.DELETED && controller.isPresent()
                && OwnerReferences.refersTo(controller.get(), "apps", "ReplicaSet")) {
            String hash = change.object().path("metadata").path("labels").path(DeploymentRun.POD_TEMPLATE_HASH)
                    .asText("");
            String owner = controller.get().path("name").asText("");
            if (!hash.isEmpty() && owner.endsWith("-" + hash) && owner.length() > hash.length() + 1) {
                return List.of(new ObjectKey(DEPLOYMENTS, namespace,
                        owner.substring(0, owner.length() - hash.length() - 1)));
            }
        }
        return List.of();
    }

    /** The synthetic key of an orphan replica set: "find it a deployment" (resource apps/replicasets here). */
    public static ObjectKey orphanReplicaSetKey(String namespace, String name) {
        return new ObjectKey(REPLICA_SETS, namespace, name);
    }
}
