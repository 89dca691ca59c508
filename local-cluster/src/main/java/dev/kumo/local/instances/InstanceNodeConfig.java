package dev.kumo.local.instances;

import dev.kumo.cloud.local.LocalInstanceRecord;
import dev.kumo.cloud.local.LocalInstanceTypes;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;

/**
 * The node a local instance's agent registers, whichever launcher runs it: the instance's name, the address and pod
 * CIDR its record holds, its type's capacity, and its pool's labels and taints (kubelet's {@code --node-labels} and
 * {@code --register-with-taints}).
 */
public final class InstanceNodeConfig {
    private InstanceNodeConfig() {
    }

    public static NodeConfig of(LocalInstanceRecord instance) {
        LocalInstanceTypes.InstanceType type = LocalInstanceTypes.find(instance.instanceType()).orElseThrow(() ->
                new IllegalStateException("instance " + instance.name() + " has an unknown type "
                        + instance.instanceType()));
        return NodeConfig.of(instance.name(), instance.address(), instance.podCidr(),
                        new NodeCapacity(type.cpu(), type.memory(), type.ephemeralStorage(), type.pods()))
                .withLabelsAndTaints(instance.labels(), instance.taints().stream()
                        .map(t -> new NodeConfig.Taint(t.key(), t.value(), t.effect())).toList());
    }
}
