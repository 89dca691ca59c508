package dev.kumo.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.cache.PodCache;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.runtime.ResyncSource;
import dev.kumo.controllers.status.Conditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kube-controller-manager's node lifecycle controller with its taint eviction controller, for one node per key:
 * a node silent for longer than the grace period (no Lease renewal, no Ready heartbeat) gets its conditions set to
 * Unknown; the node's condition taints follow its conditions (unreachable and not-ready, NoSchedule and NoExecute,
 * with {@code timeAdded}); the pods of a node that is not Ready are marked not Ready; the pods of a node with
 * NoExecute taints are evicted once their tolerations run out. What must happen later (a grace period ending, a
 * toleration running out) is a requeue at that moment; the minute tick looks at every node as well.
 */
public final class NodeLifecycle implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);
    public static final String NAME = "nodelifecycle";
    /** The event source of node events, as kube-controller-manager's node lifecycle controller names itself. */
    public static final String COMPONENT = "node-controller";
    public static final String TAINT_EVICTION_COMPONENT = "taint-eviction-controller";
    /** The resync tick's period: a grace period ending before the next tick is a requeue instead. */
    static final Duration TICK = Duration.ofMinutes(1);
    /** The pod cache lists all pods again after this, as a safety net (it follows the change log otherwise). */
    private static final Duration RELIST_PODS_AFTER = Duration.ofMinutes(10);

    /** kube's {@code --node-monitor-grace-period} and {@code --node-startup-grace-period}. */
    public record Options(Duration gracePeriod, Duration startupGracePeriod) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(40), Duration.ofSeconds(60));
    }

    private final KubeClient client;
    private final EventRecorder nodeEvents;
    private final EventRecorder evictionEvents;
    private final Clock clock;
    private final Options options;
    private final ClusterDisruption disruption;
    /**
     * The pods of every node (kube's node lifecycle controller reads them from its informer, indexed by node):
     * listing a node's pods by {@code spec.nodeName} reads every pod of the cluster, once per node that is not
     * Ready; the cache catches up with a short watch instead. Guarded by itself.
     */
    private final PodCache pods;

    NodeLifecycle(KubeClient client, EventRecorder nodeEvents, EventRecorder evictionEvents, Clock clock,
                  Options options) {
        this.client = client;
        this.nodeEvents = nodeEvents;
        this.evictionEvents = evictionEvents;
        this.clock = clock;
        this.options = options;
        this.disruption = new ClusterDisruption(client, clock);
        this.pods = new PodCache(client, RELIST_PODS_AFTER);
    }

    /** The loop's key mapper alone (it needs no API client): what the fan-out runs. */
    public static KeyMapper keys() {
        return new NodeLifecycleKeys();
    }

    public static ControlLoop loop(ControllerContext context) {
        return loop(context, Options.DEFAULT);
    }

    public static ControlLoop loop(ControllerContext context, Options options) {
        NodeLifecycle reconciler = new NodeLifecycle(context.client(), context.events(),
                new EventRecorder(context.client(), TAINT_EVICTION_COMPONENT, context.clock()), context.clock(),
                options);
        return new ControlLoop(NAME, keys(), reconciler, resync(context.client()));
    }

    /** Every node, on every tick: silence writes nothing, so only time notices it. */
    static ResyncSource resync(KubeClient client) {
        return () -> client.list(ResourceType.NODES, "", "", "").stream()
                .map(node -> ObjectKey.cluster("nodes", Meta.name(node))).toList();
    }

    @Override
    public Result reconcile(ObjectKey key) throws Exception {
        if (!key.resource().equals("nodes")) {
            LOG.atWarn().addKeyValue("key", key).log("not a node key; ignored");
            return Result.DONE;
        }
        Optional<ObjectNode> found = client.get(ResourceType.NODES, "", key.name());
        if (found.isEmpty()) {
            return Result.DONE;
        }
        ObjectNode node = found.get();
        Instant now = clock.instant();
        Optional<ObjectNode> lease = client.get(ResourceType.LEASES, NodeLifecycleKeys.NODE_LEASE_NAMESPACE,
                key.name());
        NodeHealth health = NodeHealth.of(node, lease, options.gracePeriod(), options.startupGracePeriod());
        if (health.silentAt(now)) {
            node = markUnknown(node, health, now);
        }
        String ready = Conditions.status(node, "Ready");
        boolean evictions = ready.equals("True") || disruption.evictionsAllowed();
        Optional<ArrayNode> taints = NodeTaints.reconcile(node, evictions, now);
        if (taints.isPresent()) {
            ((ObjectNode) node.path("spec")).set("taints", taints.get());
            node = client.update(ResourceType.NODES, node);
            LOG.atInfo().addKeyValue("node", key.name()).addKeyValue("taints", taints.get().toString())
                    .log("node taints follow its conditions");
        }
        List<TaintEviction.NoExecuteTaint> noExecute = TaintEviction.NoExecuteTaint.of(node, now);
        List<ObjectNode> onNode = ready.equals("True") && noExecute.isEmpty() ? List.of() : podsOn(key.name());
        if (!ready.equals("True")) {
            onNode = markPodsNotReady(onNode, key.name(), now);
        }
        Result result = evict(onNode, noExecute, now);
        if (!health.silentAt(now) && health.deadline().isBefore(now.plus(TICK))) {
            // The grace period ends before the next tick: look again just after it.
            result = result.orSooner(Result.requeueAfter(Duration.between(now, health.deadline()).plusSeconds(1)));
        }
        return result;
    }

    /** The node's pods as of now, from the cache. */
    private List<ObjectNode> podsOn(String nodeName) {
        List<ObjectNode> all;
        synchronized (pods) {
            all = pods.current();
        }
        return all.stream().filter(pod -> nodeName.equals(pod.path("spec").path("nodeName").asText())).toList();
    }

    /** How often the pods were listed in full (the cache's first fill included). */
    int podLists() {
        synchronized (pods) {
            return pods.lists();
        }
    }

    /** kube's handling of a node whose heartbeats stopped: every condition Unknown, and a NodeNotReady event. */
    private ObjectNode markUnknown(ObjectNode node, NodeHealth health, Instant now) {
        ObjectNode updated = node.deepCopy();
        boolean wasReady = Conditions.status(node, "Ready").equals("True");
        if (!NodeHealth.markUnknown(updated, now)) {
            return node;
        }
        ObjectNode written = client.updateStatus(ResourceType.NODES, updated);
        LOG.atInfo().addKeyValue("node", Meta.name(node)).addKeyValue("lastHeartbeat", health.lastHeartbeat())
                .log("node stopped posting status; its conditions are Unknown");
        if (wasReady) {
            nodeEvents.normal(written, "NodeNotReady", "Node " + Meta.name(node) + " status is now: NodeNotReady");
        }
        return written;
    }

    /**
     * kube's {@code MarkPodsNotReady}: the Ready condition of each pod on the node goes False. The pods as they are
     * now (those gone meanwhile left out).
     */
    private List<ObjectNode> markPodsNotReady(List<ObjectNode> pods, String nodeName, Instant now) {
        List<ObjectNode> current = new ArrayList<>();
        for (ObjectNode pod : pods) {
            Optional<ArrayNode> conditions = Conditions.status(pod, "Ready").isEmpty() ? Optional.empty()
                    : Conditions.with(pod, "Ready", "False", null, null, now);
            if (conditions.isEmpty()) {
                current.add(pod);
                continue;
            }
            Optional<ObjectNode> written = patchConditions(pod, conditions.get());
            if (written.isPresent()) {
                LOG.atInfo().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod))
                        .addKeyValue("node", nodeName).log("marked pod not ready: its node is not ready");
                nodeEvents.warning(written.get(), "NodeNotReady", "Node is not ready");
                current.add(written.get());
            }
        }
        return current;
    }

    /** Evicts the pods whose tolerations ran out; the time of the next eviction due, if any. */
    private Result evict(List<ObjectNode> pods, List<TaintEviction.NoExecuteTaint> taints, Instant now) {
        Result result = Result.DONE;
        for (ObjectNode pod : pods) {
            if (Meta.isBeingDeleted(pod)) {
                continue;
            }
            Optional<Instant> at = TaintEviction.evictionTime(taints, pod);
            if (at.isEmpty()) {
                continue;
            }
            if (at.get().isAfter(now)) {
                result = result.orSooner(Result.requeueAfter(Duration.between(now, at.get())));
            } else {
                evict(pod, now);
            }
        }
        return result;
    }

    /** kube's {@code addConditionAndDeletePod}: a DisruptionTarget condition, then the delete, and an event. */
    private void evict(ObjectNode pod, Instant now) {
        String name = Meta.namespace(pod) + "/" + Meta.name(pod);
        evictionEvents.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + name);
        Optional<ArrayNode> conditions = Conditions.with(pod, "DisruptionTarget", "True",
                "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint", now);
        if (conditions.isPresent() && patchConditions(pod, conditions.get()).isEmpty()) {
            return; // gone meanwhile
        }
        client.delete(ResourceType.PODS, Meta.namespace(pod), Meta.name(pod), null, Meta.uid(pod));
        LOG.atInfo().addKeyValue("pod", name).addKeyValue("node", pod.path("spec").path("nodeName").asText())
                .log("evicted pod: its node's NoExecute taints are not tolerated any more");
    }

    /** Writes the pod's conditions; empty when the pod is gone. A pod changed meanwhile is a conflict: retried. */
    private Optional<ObjectNode> patchConditions(JsonNode pod, ArrayNode conditions) {
        ObjectNode patch = client.mapper().createObjectNode();
        patch.putObject("metadata").put("uid", Meta.uid(pod)).put("resourceVersion", Meta.resourceVersion(pod));
        patch.putObject("status").set("conditions", conditions);
        try {
            return Optional.of(client.mergePatch(ResourceType.PODS, Meta.namespace(pod), Meta.name(pod), "status",
                    patch));
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
