package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.replicaset.ControllerRefManager;
import dev.kumo.controllers.replicaset.OwnerReferences;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Result;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One sync of one deployment's key: read the deployment, claim its replica sets (adopting orphans that match,
 * releasing its own that no longer do), read its pods when Recreate needs them, then run the rollout
 * ({@link DeploymentRun}).
 */
final class DeploymentSync {
    /** Deployments control replica sets. */
    static final ControllerRefManager.Kinds KINDS = new ControllerRefManager.Kinds(ResourceType.DEPLOYMENTS,
            DeploymentRun.API_VERSION, DeploymentRun.KIND, ResourceType.REPLICA_SETS);

    private final ControllerContext context;
    private final KubeClient client;

    DeploymentSync(ControllerContext context) {
        this.context = context;
        this.client = context.client();
    }

    Result sync(String namespace, String name) {
        Optional<ControllerRefManager> manager = ControllerRefManager.read(client, KINDS, namespace, name);
        if (manager.isEmpty()) {
            return Result.DONE;
        }
        ObjectNode deployment = manager.get().owner();
        List<ObjectNode> replicaSets = manager.get().claim(client.list(ResourceType.REPLICA_SETS, namespace, "", ""));
        Map<String, List<ObjectNode>> pods = Deployments.isRollingUpdate(deployment) ? Map.of()
                : podsByReplicaSet(deployment, replicaSets);
        return new DeploymentRun(client, context.events(), context.clock(), deployment, replicaSets, pods).run();
    }

    /** {@code getPodMapForDeployment}: the deployment's pods by the uid of the replica set that controls them. */
    private Map<String, List<ObjectNode>> podsByReplicaSet(JsonNode deployment, List<ObjectNode> replicaSets) {
        Set<String> uids = new HashSet<>();
        replicaSets.forEach(rs -> uids.add(Meta.uid(rs)));
        Map<String, List<ObjectNode>> pods = new HashMap<>();
        String query = SelectorQuery.query(deployment.path("spec").path("selector"));
        for (ObjectNode pod : client.list(ResourceType.PODS, Meta.namespace(deployment), query, "")) {
            OwnerReferences.controllerOf(pod).map(ref -> ref.path("uid").asText(""))
                    .filter(uids::contains)
                    .ifPresent(uid -> pods.computeIfAbsent(uid, k -> new ArrayList<>()).add(pod));
        }
        return pods;
    }
}
