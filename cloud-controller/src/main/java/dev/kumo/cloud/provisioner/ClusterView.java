package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.cloud.Instance;

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

    /** Instances launched whose node has not registered yet: capacity on its way (cluster-autoscaler's upcoming nodes). */
    List<Instance> upcoming() {
        Set<String> registered = nodes.stream().map(Meta::name).collect(Collectors.toSet());
        return instances.stream().filter(i -> !registered.contains(i.nodeName())).toList();
    }
}
