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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Launches instances for a pool with client tokens derived from the need: ordinals {@code launchCount + 1 ..
 * launchCount + n} of the pool's uid. {@code status.launchCount} moves on only after the launches succeeded, so two
 * passes at once both read the old count and ask for the same tokens: the provider answers both with one instance
 * per token.
 *
 * <p>The count can fall behind the tokens used: a pass whose status write lost a race is not always run again with
 * the same need (the instance it launched met it). A token that answers with an instance the pass already counted
 * (one of the pool's instances it planned with) or with a terminated one is therefore a used ordinal, not a launch:
 * the pass moves on to the next ordinal. Without that, a later scale-up would "launch" an old instance and wait in
 * vain for a node.
 */
final class Launches {
    private static final Logger LOG = LoggerFactory.getLogger(Launches.class);

    /** Used tokens a pass may skip beyond those of the instances it knows (terminated ones the count missed). */
    private static final int USED_TOKENS_SLACK = 8;

    private final KubeClient client;
    private final Instances instances;

    Launches(KubeClient client, Instances instances) {
        this.client = client;
        this.instances = instances;
    }

    /**
     * Launches {@code count} new instances beside {@code known} (the pool's instances the need was computed with)
     * and records the new launch count; returns the instances.
     */
    List<Instance> launch(NodePool pool, int count, List<Instance> known) throws CloudException {
        Set<String> counted = known.stream().map(Instance::providerId).collect(Collectors.toSet());
        List<Instance> launched = new ArrayList<>();
        long ordinal = pool.launchCount();
        long lastOrdinal = pool.launchCount() + count + known.size() + USED_TOKENS_SLACK;
        while (launched.size() < count) {
            if (++ordinal > lastOrdinal) {
                throw new CloudException("node pool " + pool.name() + ": client tokens " + pool.clientToken(
                        pool.launchCount() + 1) + " to " + pool.clientToken(lastOrdinal) + " all answer with"
                        + " instances launched before; status.launchCount is far behind", false);
            }
            Instance instance = instances.launch(new InstanceRequest(pool.clientToken(ordinal), pool.name(),
                    pool.instanceType(), pool.zoneFor(ordinal), Map.of(), pool.nodeLabels(), pool.taints()));
            if (counted.contains(instance.providerId()) || !instance.state().exists()) {
                LOG.atInfo().addKeyValue("nodePool", pool.name()).addKeyValue("ordinal", ordinal)
                        .addKeyValue("instance", instance.providerId()).addKeyValue("state", instance.state())
                        .log("client token used before (the launch count missed it); trying the next ordinal");
                continue;
            }
            LOG.atInfo().addKeyValue("nodePool", pool.name()).addKeyValue("ordinal", ordinal)
                    .addKeyValue("instance", instance.providerId()).addKeyValue("node", instance.nodeName())
                    .log("instance launched");
            launched.add(instance);
        }
        ObjectNode updated = pool.object().deepCopy();
        updated.withObjectProperty("status").put("launchCount", ordinal);
        // The resourceVersion read guards the count: a pass that lost a race fails here and runs again.
        client.updateStatus(ResourceType.NODE_POOLS, updated);
        return launched;
    }
}
