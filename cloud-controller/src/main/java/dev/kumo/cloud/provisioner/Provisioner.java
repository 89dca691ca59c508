package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.Instances;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The provisioner, level-triggered: a pool's key keeps the pool at its floor ({@link NodePool#floor()}), removes its
 * nodes that stayed empty for {@code emptyNodeTTL} down to the floor ({@link EmptyNodes}) and writes its status;
 * the {@link ProvisionerKeys#SCALE_UP} key looks at the pods marked Unschedulable and grows the pool that would hold
 * the most of them ({@link ScaleUpPlanner}), up to its {@code maxSize}. Only a pool's own key removes its nodes, so
 * two passes never shrink one pool at once; launches use client tokens derived from the need ({@link Launches}), so
 * passes that overlap never launch an instance twice.
 */
public final class Provisioner implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    /** A status write that lost a race is tried again this soon rather than after the queue's redelivery. */
    static final Duration CONFLICT_RETRY = Duration.ofSeconds(1);

    private final KubeClient client;
    private final Instances instances;
    private final EventRecorder events;
    private final Clock clock;
    private final Launches launches;
    private final EmptyNodes emptyNodes;

    public Provisioner(KubeClient client, Instances instances, EventRecorder events, Clock clock) {
        this.client = client;
        this.instances = instances;
        this.events = events;
        this.clock = clock;
        this.launches = new Launches(client, instances);
        this.emptyNodes = new EmptyNodes(client, new ScaleDown(client, instances), events, clock);
    }

    @Override
    public Result reconcile(ObjectKey key) throws CloudException {
        try {
            if (key.equals(ProvisionerKeys.SCALE_UP)) {
                return scaleUp();
            }
            if (key.resource().equals(ProvisionerKeys.POOLS)) {
                return reconcilePool(key.name());
            }
            LOG.atWarn().addKeyValue("key", key).log("not a provisioner key; ignored");
            return Result.DONE;
        } catch (ApiError e) {
            if (e.isConflict()) {
                LOG.atInfo().addKeyValue("key", key).addKeyValue("error", e.getMessage())
                        .log("conflicting write; looking again");
                return Result.requeueAfter(CONFLICT_RETRY);
            }
            throw e;
        }
    }

    private Result reconcilePool(String name) throws CloudException {
        Optional<ObjectNode> found = client.get(ResourceType.NODE_POOLS, "", name);
        List<Instance> poolInstances = instances.list().stream().filter(i -> name.equals(i.nodePool())).toList();
        if (found.isEmpty()) {
            return removeAll(name, poolInstances);
        }
        NodePool pool = NodePool.of(found.get());
        List<ObjectNode> nodes = client.list(ResourceType.NODES, "", NodePool.POOL_LABEL + "=" + name, "");
        int missing = pool.floor() - poolInstances.size();
        if (missing > 0) {
            launch(pool, missing, poolInstances, "Scale-up: launching " + missing + " node"
                    + (missing == 1 ? "" : "s") + " to reach the pool's size " + pool.floor() + " (max: "
                    + pool.maxSize() + ")");
            return Result.DONE; // the status write brings the pool back with the launched instances
        }
        Result result = Result.DONE;
        if (!nodes.isEmpty()) {
            List<ObjectNode> pods = client.list(ResourceType.PODS, "", "", "");
            EmptyNodes.Outcome outcome = emptyNodes.reconcile(pool, nodes, poolInstances, pods);
            nodes = outcome.nodes();
            poolInstances = outcome.instances();
            result = outcome.result();
        }
        writeStatus(pool, nodes, poolInstances);
        return result;
    }

    /** A deleted pool's instances are terminated and their nodes deleted. */
    private Result removeAll(String pool, List<Instance> poolInstances) throws CloudException {
        for (Instance instance : poolInstances) {
            instances.terminate(instance.providerId());
            client.delete(ResourceType.NODES, "", instance.nodeName(), null, null);
            LOG.atInfo().addKeyValue("nodePool", pool).addKeyValue("instance", instance.providerId())
                    .log("node pool deleted; its instance terminated");
        }
        return Result.DONE;
    }

    private Result scaleUp() throws CloudException {
        List<ObjectNode> pods = client.list(ResourceType.PODS, "", "", "");
        if (ScaleUpPlanner.pending(pods).isEmpty()) {
            return Result.DONE;
        }
        List<NodePool> pools = client.list(ResourceType.NODE_POOLS, "", "", "").stream().map(NodePool::of)
                .filter(p -> !Meta.isBeingDeleted(p.object())).toList();
        ClusterView view = new ClusterView(pools, client.list(ResourceType.NODES, "", "", ""), pods,
                instances.list());
        Optional<ScaleUpPlan> plan = ScaleUpPlanner.of(client.mapper(), instances, view).plan(view);
        if (plan.isEmpty()) {
            LOG.atInfo().addKeyValue("pending", ScaleUpPlanner.pending(pods).size())
                    .log("no node pool can hold the unschedulable pods, or they fit on nodes on their way");
            return Result.DONE;
        }
        NodePool pool = plan.get().pool();
        int current = view.instancesOf(pool.name()).size();
        int target = current + plan.get().newNodes();
        if (launch(pool, plan.get().newNodes(), view.instancesOf(pool.name()), "Scale-up: setting group "
                + pool.name() + " size to " + target + " instead of " + current + " (max: " + pool.maxSize() + ")")) {
            String message = "pod triggered scale-up: [{" + pool.name() + " " + current + "->" + target + " (max: "
                    + pool.maxSize() + ")}]";
            plan.get().pods().forEach(pod -> events.normal(pod, "TriggeredScaleUp", message));
            LOG.atInfo().addKeyValue("nodePool", pool.name()).addKeyValue("from", current).addKeyValue("to", target)
                    .addKeyValue("pods", plan.get().pods().stream().map(p -> Meta.namespace(p) + "/" + Meta.name(p))
                            .collect(Collectors.joining(","))).log("scale-up");
        }
        return Result.DONE;
    }

    /** Launches and records; a cloud failure is a warning on the pool, retried when it can help. */
    private boolean launch(NodePool pool, int count, List<Instance> known, String message) throws CloudException {
        try {
            launches.launch(pool, count, known);
        } catch (CloudException e) {
            events.warning(pool.object(), "FailedScaleUp", "Scale-up failed for group " + pool.name() + ": "
                    + e.getMessage());
            if (e.retryable()) {
                throw e;
            }
            LOG.atWarn().addKeyValue("nodePool", pool.name()).addKeyValue("error", e.getMessage())
                    .log("scale-up failed and retrying cannot help");
            return false;
        }
        events.normal(pool.object(), "TriggeredScaleUp", message);
        return true;
    }

    private void writeStatus(NodePool pool, List<ObjectNode> nodes, List<Instance> poolInstances) {
        ObjectNode current = pool.object();
        ObjectNode status = client.mapper().createObjectNode();
        status.put("replicas", poolInstances.size());
        status.put("nodes", nodes.size());
        status.put("readyNodes", nodes.stream().filter(EmptyNodes::isReady).count());
        status.put("launchCount", pool.launchCount());
        status.put("observedGeneration", current.path("metadata").path("generation").asLong(0));
        if (status.equals(current.path("status"))) {
            return;
        }
        ObjectNode updated = current.deepCopy();
        updated.set("status", status);
        client.updateStatus(ResourceType.NODE_POOLS, updated);
    }
}
