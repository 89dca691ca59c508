package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instances;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Removes one empty node of a pool, as cluster-autoscaler deletes an empty node: cordon it, look again (a pod may
 * have been bound meanwhile: then uncordon and keep it), evict what is left (DaemonSet pods; kumo serves no
 * eviction subresource yet, so they are deleted), terminate the instance, delete the Node.
 */
final class ScaleDown {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleDown.class);

    private final KubeClient client;
    private final Instances instances;

    ScaleDown(KubeClient client, Instances instances) {
        this.client = client;
        this.instances = instances;
    }

    /** True when the node was removed; false when a pod arrived and it was kept. */
    boolean remove(ObjectNode node, String providerId) throws CloudException {
        String name = Meta.name(node);
        cordon(name, true);
        List<ObjectNode> pods = client.list(ResourceType.PODS, "", "", "spec.nodeName=" + name);
        if (!NodeOccupancy.workloadPods(pods, name).isEmpty()) {
            cordon(name, false);
            LOG.atInfo().addKeyValue("node", name).log("a pod was bound to the node while it was cordoned; kept");
            return false;
        }
        for (ObjectNode pod : pods) {
            if (!NodeOccupancy.isMirror(pod)) {
                client.delete(ResourceType.PODS, Meta.namespace(pod), Meta.name(pod), null, Meta.uid(pod));
            }
        }
        if (providerId != null) {
            instances.terminate(providerId);
        }
        client.delete(ResourceType.NODES, "", name, null, Meta.uid(node));
        LOG.atInfo().addKeyValue("node", name).addKeyValue("instance", providerId).log("empty node removed");
        return true;
    }

    private void cordon(String node, boolean unschedulable) {
        ObjectNode patch = client.mapper().createObjectNode();
        patch.putObject("spec").put("unschedulable", unschedulable);
        try {
            client.mergePatch(ResourceType.NODES, "", node, "", patch);
        } catch (ApiError e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }
}
