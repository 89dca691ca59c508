package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.Instances;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Launches instances for a pool with client tokens derived from the need: ordinals {@code launchCount + 1 ..
 * launchCount + n} of the pool's uid. {@code status.launchCount} moves on only after the launches succeeded, so a
 * pass that failed or was retried before writing it asks again for the same tokens and the provider answers with
 * the instances launched the first time; two passes at once both read the old count and launch the same instances.
 */
final class Launches {
    private static final Logger LOG = LoggerFactory.getLogger(Launches.class);

    private final KubeClient client;
    private final Instances instances;

    Launches(KubeClient client, Instances instances) {
        this.client = client;
        this.instances = instances;
    }

    /** Launches {@code count} instances and records the new launch count; returns the instances. */
    List<Instance> launch(NodePool pool, int count) throws CloudException {
        List<Instance> launched = new ArrayList<>();
        for (long ordinal = pool.launchCount() + 1; ordinal <= pool.launchCount() + count; ordinal++) {
            Instance instance = instances.launch(new InstanceRequest(pool.clientToken(ordinal), pool.name(),
                    pool.instanceType(), pool.zoneFor(ordinal), Map.of(), pool.nodeLabels(), pool.taints()));
            LOG.atInfo().addKeyValue("nodePool", pool.name()).addKeyValue("ordinal", ordinal)
                    .addKeyValue("instance", instance.providerId()).addKeyValue("node", instance.nodeName())
                    .log("instance launched");
            launched.add(instance);
        }
        ObjectNode updated = pool.object().deepCopy();
        updated.withObjectProperty("status").put("launchCount", pool.launchCount() + count);
        // The resourceVersion read guards the count: a pass that lost a race fails here and runs again.
        client.updateStatus(ResourceType.NODE_POOLS, updated);
        return launched;
    }
}
