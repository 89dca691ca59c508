package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.InstanceCapacity;
import dev.kumo.cloud.Instances;
import dev.kumo.cloud.NodeTaint;

import java.util.List;
import java.util.Optional;

/**
 * Nodes that do not exist yet, as the scheduler's snapshot needs them (cluster-autoscaler's template node info):
 * the labels and taints a node of the pool registers with, the well-known labels of its instance type and zone,
 * and the capacity of its instance type, from the provider or else from a node of the pool that has that type.
 */
final class NodeTemplates {
    static final String INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private final ObjectMapper mapper;
    private final Instances instances;
    private final List<ObjectNode> nodes;

    /** @param nodes the cluster's nodes, whose allocatable stands in where the provider knows no capacity */
    NodeTemplates(ObjectMapper mapper, Instances instances, List<ObjectNode> nodes) {
        this.mapper = mapper;
        this.instances = instances;
        this.nodes = nodes;
    }

    /** A node named {@code name} of the pool with its first instance type; empty when its size is unknown. */
    Optional<ObjectNode> node(NodePool pool, String name, String zone) throws CloudException {
        String type = pool.instanceType();
        Optional<ObjectNode> resources = resources(type);
        if (resources.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode node = mapper.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
        ObjectNode labels = node.putObject("metadata").put("name", name).putObject("labels");
        labels.put("kubernetes.io/hostname", name).put("kubernetes.io/os", "linux")
                .put(INSTANCE_TYPE_LABEL, type);
        architecture().ifPresent(arch -> labels.put("kubernetes.io/arch", arch));
        if (zone != null) {
            labels.put(ZONE_LABEL, zone);
        }
        pool.nodeLabels().forEach(labels::put);
        ArrayNode taints = node.putObject("spec").putArray("taints");
        for (NodeTaint taint : pool.taints()) {
            taints.addObject().put("key", taint.key()).put("value", taint.value()).put("effect", taint.effect());
        }
        ObjectNode status = node.putObject("status");
        status.set("capacity", resources.get().deepCopy());
        status.set("allocatable", resources.get());
        status.putArray("conditions").addObject().put("type", "Ready").put("status", "True");
        return Optional.of(node);
    }

    private Optional<ObjectNode> resources(String type) throws CloudException {
        Optional<InstanceCapacity> capacity = instances.capacity(type);
        if (capacity.isPresent()) {
            InstanceCapacity c = capacity.get();
            return Optional.of(mapper.createObjectNode().put("cpu", c.cpu()).put("memory", c.memory())
                    .put("ephemeral-storage", c.ephemeralStorage()).put("pods", Integer.toString(c.pods())));
        }
        return nodes.stream().filter(n -> type.equals(n.path("metadata").path("labels").path(INSTANCE_TYPE_LABEL)
                        .asText(""))).map(n -> n.path("status").path("allocatable"))
                .filter(JsonNode::isObject).map(a -> (ObjectNode) a.deepCopy()).findFirst();
    }

    /** The architecture the cluster's nodes report (new nodes are of this machine's kind). */
    private Optional<String> architecture() {
        return nodes.stream().map(n -> n.path("metadata").path("labels").path("kubernetes.io/arch").asText(""))
                .filter(a -> !a.isEmpty()).findFirst();
    }
}
