package dev.kumo.cloud;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One instance wanted for a node pool.
 *
 * @param clientToken  makes {@link Instances#launch} idempotent: derive it from the need (pool, its generation and
 *                     the ordinal of the instance being added), never from a clock or a random number
 * @param nodePool     the NodePool's name (tagged on the instance)
 * @param instanceType e.g. {@code m7g.large}; the local provider gives its node that type's capacity
 * @param zone         where to place it, or null for the provider's choice
 * @param tags         extra tags for the instance (the provider adds the cluster and pool tags itself)
 * @param nodeLabels   labels the node agent registers its Node with (kubelet's {@code --node-labels}): the
 *                     pool's labels and {@code kumo.dev/node-pool}. The local provider's instances register with
 *                     them; an EC2 instance's agent, started by the launch template's user data that knows no pool,
 *                     registers tainted {@link NodeTaint#UNINITIALIZED}, and the cloud node controller gives it
 *                     its pool's labels and taints as it lifts that taint
 * @param nodeTaints   taints the node agent registers its Node with ({@code --register-with-taints}): the pool's
 */
public record InstanceRequest(String clientToken, String nodePool, String instanceType, String zone,
                              Map<String, String> tags, Map<String, String> nodeLabels, List<NodeTaint> nodeTaints) {
    public InstanceRequest {
        Objects.requireNonNull(clientToken, "clientToken");
        Objects.requireNonNull(nodePool, "nodePool");
        Objects.requireNonNull(instanceType, "instanceType");
        tags = Map.copyOf(tags);
        nodeLabels = Map.copyOf(nodeLabels);
        nodeTaints = List.copyOf(nodeTaints);
    }

    /** A request whose node registers with no labels or taints beyond the provider's own. */
    public InstanceRequest(String clientToken, String nodePool, String instanceType, String zone,
                           Map<String, String> tags) {
        this(clientToken, nodePool, instanceType, zone, tags, Map.of(), List.of());
    }
}
