package dev.kumo.cloud.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceLookup;
import dev.kumo.cloud.NodeTaint;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * cloud-controller-manager's node controllers, one node per key.
 * <ul>
 *   <li><b>cloud-node-controller</b>: a node whose instance the cloud knows (by {@code spec.providerID}, or by the
 *       node's name) gets what is missing from it: {@code spec.providerID}, the {@code node.kubernetes.io/instance-type},
 *       {@code topology.kubernetes.io/zone} and {@code kumo.dev/node-pool} labels, {@code status.addresses}; and the
 *       {@code node.cloudprovider.kubernetes.io/uninitialized} taint is removed, in the same write that gives a node
 *       registered with it its pool's labels and taints (an EC2 node's agent registers that way, knowing nothing of
 *       its pool; a local instance's registers with them already).</li>
 *   <li><b>cloud-node-lifecycle-controller</b>: a node whose Ready condition is not True and whose instance no
 *       longer exists is deleted ("Deleting node x because it does not exist in the cloud provider"), and its pods
 *       with it, force-deleted as the pod garbage collector does for pods of a node that is gone (kumo has no pod GC
 *       loop yet). A node without a provider ID was never the cloud's (the local cluster's static nodes) and is left
 *       alone.</li>
 * </ul>
 */
public final class CloudNodeController implements Reconciler {
    static final String UNINITIALIZED_TAINT = NodeTaint.UNINITIALIZED.key();
    static final String INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    static final String POOL_LABEL = "kumo.dev/node-pool";
    private static final Logger LOG = LoggerFactory.getLogger(CloudNodeController.class);

    private final KubeClient client;
    private final InstanceLookup instances;
    private final EventRecorder lifecycleEvents;

    public CloudNodeController(KubeClient client, InstanceLookup instances, EventRecorder lifecycleEvents) {
        this.client = client;
        this.instances = instances;
        this.lifecycleEvents = lifecycleEvents;
    }

    @Override
    public Result reconcile(ObjectKey key) throws CloudException {
        if (!key.resource().equals("nodes")) {
            return Result.DONE;
        }
        Optional<ObjectNode> found = client.get(ResourceType.NODES, "", key.name());
        if (found.isEmpty()) {
            return Result.DONE;
        }
        ObjectNode node = found.get();
        String providerId = node.path("spec").path("providerID").asText("");
        if (!providerId.isEmpty() && "True".equals(readyStatus(node)) && initialized(node)) {
            return Result.DONE; // nothing to fill in, and a Ready node is never deleted: no cloud call
        }
        Optional<Instance> instance = providerId.isEmpty()
                ? instances.list().stream().filter(i -> i.nodeName().equals(key.name())).findFirst()
                : instances.find(providerId).filter(i -> i.state().exists());
        if (instance.isEmpty()) {
            if (!providerId.isEmpty() && !"True".equals(readyStatus(node))) {
                deleteNode(node);
            }
            return Result.DONE;
        }
        initialize(node, instance.get());
        return Result.DONE;
    }

    /** Fills what the node lacks from its instance, in one patch of the node and one of its status. */
    private void initialize(ObjectNode node, Instance instance) {
        String name = Meta.name(node);
        ObjectNode patch = client.mapper().createObjectNode();
        if (node.path("spec").path("providerID").asText("").isEmpty()) {
            patch.putObject("spec").put("providerID", instance.providerId());
        }
        JsonNode labels = node.path("metadata").path("labels");
        ObjectNode newLabels = client.mapper().createObjectNode();
        putMissing(labels, newLabels, INSTANCE_TYPE_LABEL, instance.instanceType());
        putMissing(labels, newLabels, ZONE_LABEL, instance.zone());
        putMissing(labels, newLabels, POOL_LABEL, instance.nodePool());
        boolean uninitialized = NodeTaint.isUninitialized(node);
        ArrayNode taints = client.mapper().createArrayNode();
        for (JsonNode taint : node.path("spec").path("taints")) {
            if (!taint.path("key").asText().equals(UNINITIALIZED_TAINT)) {
                taints.add(taint);
            }
        }
        if (uninitialized) {
            poolOf(instance).ifPresent(pool -> registerWithPool(pool, labels, newLabels, taints));
        }
        if (!newLabels.isEmpty()) {
            patch.putObject("metadata").set("labels", newLabels);
        }
        if (uninitialized) {
            (patch.has("spec") ? (ObjectNode) patch.get("spec") : patch.putObject("spec")).set("taints", taints);
        }
        if (!patch.isEmpty()) {
            client.mergePatch(ResourceType.NODES, "", name, "", patch);
            LOG.atInfo().addKeyValue("node", name).addKeyValue("instance", instance.providerId())
                    .addKeyValue("changes", patch.toString()).log("node initialized from the cloud");
        }
        if (node.path("status").path("addresses").isEmpty() && !instance.addresses().isEmpty()) {
            ObjectNode statusPatch = client.mapper().createObjectNode();
            ArrayNode addresses = statusPatch.putObject("status").putArray("addresses");
            instance.addresses().forEach(a -> addresses.addObject().put("type", a.type()).put("address", a.address()));
            client.mergePatch(ResourceType.NODES, "", name, "status", statusPatch);
        }
    }

    /** The NodePool object of the instance's pool, if it has one and the pool still exists. */
    private Optional<ObjectNode> poolOf(Instance instance) {
        String pool = instance.nodePool();
        return pool == null || pool.isEmpty() ? Optional.empty() : client.get(ResourceType.NODE_POOLS, "", pool);
    }

    /**
     * What the kubelet's {@code --node-labels} and {@code --register-with-taints} would have given a node of
     * {@code pool}: its labels where the node has none of that key, its taints where the node has none of that key
     * and effect.
     */
    private static void registerWithPool(ObjectNode pool, JsonNode labels, ObjectNode newLabels, ArrayNode taints) {
        pool.path("spec").path("labels").properties().forEach(label ->
                putMissing(labels, newLabels, label.getKey(), label.getValue().asText("")));
        for (JsonNode wanted : pool.path("spec").path("taints")) {
            boolean present = false;
            for (JsonNode taint : taints) {
                present |= taint.path("key").asText().equals(wanted.path("key").asText())
                        && taint.path("effect").asText().equals(wanted.path("effect").asText());
            }
            if (!present) {
                ObjectNode added = taints.addObject().put("key", wanted.path("key").asText());
                if (!wanted.path("value").asText("").isEmpty()) {
                    added.put("value", wanted.path("value").asText());
                }
                added.put("effect", wanted.path("effect").asText());
            }
        }
    }

    /** Whether the node has what initialization gives it (then only its existence is the cloud's question). */
    private static boolean initialized(JsonNode node) {
        JsonNode labels = node.path("metadata").path("labels");
        return !NodeTaint.isUninitialized(node) && labels.hasNonNull(INSTANCE_TYPE_LABEL) && labels.hasNonNull(ZONE_LABEL)
                && !node.path("status").path("addresses").isEmpty();
    }

    private static void putMissing(JsonNode labels, ObjectNode patch, String key, String value) {
        if (value != null && !value.isEmpty() && labels.path(key).asText("").isEmpty()) {
            patch.put(key, value);
        }
    }

    private void deleteNode(ObjectNode node) {
        String name = Meta.name(node);
        lifecycleEvents.normal(node, "DeletingNode", "Deleting node " + name
                + " because it does not exist in the cloud provider");
        client.delete(ResourceType.NODES, "", name, null, Meta.uid(node));
        LOG.atInfo().addKeyValue("node", name).addKeyValue("providerID", node.path("spec").path("providerID").asText())
                .log("node deleted: its instance no longer exists");
        for (ObjectNode pod : client.list(ResourceType.PODS, "", "", "spec.nodeName=" + name)) {
            forceDelete(pod, name);
        }
    }

    /**
     * Deletes the pod listed, not another of its name: a controller may have replaced it already under the same
     * name (a ReplicaSet names a replacement as it named the pod it replaces), and that pod is not this node's.
     */
    void forceDelete(ObjectNode pod, String node) {
        ObjectNode force = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "DeleteOptions")
                .put("gracePeriodSeconds", 0);
        force.putObject("preconditions").put("uid", Meta.uid(pod));
        String name = Meta.namespace(pod) + "/" + Meta.name(pod);
        try {
            if (client.delete(ResourceType.PODS, Meta.namespace(pod), Meta.name(pod), force)) {
                LOG.atInfo().addKeyValue("pod", name).addKeyValue("node", node)
                        .log("pod of a deleted node force-deleted");
            }
        } catch (ApiError e) {
            if (!e.isConflict()) {
                throw e;
            }
            LOG.atInfo().addKeyValue("pod", name).addKeyValue("node", node).addKeyValue("uid", Meta.uid(pod))
                    .log("pod of a deleted node already replaced by a pod of its name; left alone");
        }
    }

    static String readyStatus(JsonNode node) {
        for (JsonNode condition : node.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                return condition.path("status").asText();
            }
        }
        return "Unknown";
    }
}
