package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.NodeTaint;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What one provisioner pass read: the pools, the cluster's nodes and pods, and the cloud's instances. */
record ClusterView(List<NodePool> pools, List<ObjectNode> nodes, List<ObjectNode> pods, List<Instance> instances) {
    ClusterView {
        pools = List.copyOf(pools);
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
        instances = List.copyOf(instances);
    }

    List<Instance> instancesOf(String pool) {
        return instances.stream().filter(i -> pool.equals(i.nodePool())).toList();
    }

    List<ObjectNode> nodesOf(String pool) {
        return nodes.stream().filter(n -> pool.equals(n.path("metadata").path("labels").path(NodePool.POOL_LABEL)
                .asText(null))).toList();
    }

    /**
     * The nodes that are what they say: initialized by the cloud node controller. A node still tainted
     * {@code node.cloudprovider.kubernetes.io/uninitialized} has neither its pool's labels nor its taints yet (an
     * EC2 node registers that way), so it stands for its instance's template instead ({@link #upcoming}).
     */
    List<ObjectNode> initializedNodes() {
        return nodes.stream().filter(node -> !NodeTaint.isUninitialized(node)).toList();
    }

    /**
     * Instances launched whose node has not registered, or not been initialized, yet: capacity on its way
     * (cluster-autoscaler's upcoming nodes).
     */
    List<Instance> upcoming() {
        Set<String> ready = initializedNodes().stream().map(Meta::name).collect(Collectors.toSet());
        return instances.stream().filter(i -> !ready.contains(i.nodeName())).toList();
    }
}
