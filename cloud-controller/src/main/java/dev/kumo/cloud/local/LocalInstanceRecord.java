package dev.kumo.cloud.local;

import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceState;
import dev.kumo.cloud.NodeTaint;

import java.util.List;
import java.util.Map;

/**
 * One local instance as its file under the instances directory keeps it: what was asked for (client token, pool,
 * type, the node's labels and taints), what the provider chose (name, slot, address, pod CIDR) and its state.
 *
 * @param slot which of the pool nodes' address and pod CIDR ranges it holds while it is not terminated
 */
public record LocalInstanceRecord(String name, String clientToken, String nodePool, String instanceType, String zone,
                                  InstanceState state, int slot, String address, String podCidr,
                                  Map<String, String> labels, List<NodeTaint> taints, String launchTime) {
    public static final String PROVIDER = "kumo-local";

    public LocalInstanceRecord {
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
    }

    public LocalInstanceRecord withState(InstanceState newState) {
        return new LocalInstanceRecord(name, clientToken, nodePool, instanceType, zone, newState, slot, address,
                podCidr, labels, taints, launchTime);
    }

    /** {@code kumo-local:///<name>}: the zone is left out, as the name alone finds the instance. */
    public String providerId() {
        return PROVIDER + ":///" + name;
    }

    /** The pool's ordinal of this instance: the {@code n} of {@code <pool>-<n>}. */
    public int ordinal() {
        return Integer.parseInt(name.substring(nodePool.length() + 1));
    }

    public Instance toInstance() {
        return new Instance(providerId(), name, nodePool, instanceType, zone, state, List.of(
                new Instance.Address("InternalIP", address), new Instance.Address("Hostname", name)));
    }
}
