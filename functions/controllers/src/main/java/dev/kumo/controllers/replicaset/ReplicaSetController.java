package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apimachinery.selection.SelectorException;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.runtime.ResyncSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * kube-controller-manager's ReplicaSet controller as a control loop: keeps {@code spec.replicas} pods of each
 * replica set's template running (see {@link ReplicaSetSync}), and finds replica sets for orphan pods (see
 * {@link ReplicaSetKeys}). Nothing is time-based beyond minReadySeconds, which a sync asks for as a requeue, so
 * the loop needs no resync on the tick.
 */
public final class ReplicaSetController implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaSetController.class);
    public static final String NAME = "replicaset";
    /** The component its events name, as kube-controller-manager's. */
    public static final String COMPONENT = "replicaset-controller";

    private final KubeClient client;
    private final ReplicaSetSync sync;

    public ReplicaSetController(ControllerContext context) {
        this.client = context.client();
        this.sync = new ReplicaSetSync(context);
    }

    /** The loop the hosts run: name {@code replicaset}, keys by {@link ReplicaSetKeys}, no resync. */
    public static ControlLoop loop(ControllerContext context) {
        return new ControlLoop(NAME, new ReplicaSetKeys(), new ReplicaSetController(context), ResyncSource.NONE);
    }

    @Override
    public Result reconcile(ObjectKey key) {
        if (key.resource().equals(ReplicaSetKeys.REPLICA_SETS)) {
            return sync.sync(key.namespace(), key.name());
        }
        if (key.resource().equals(ReplicaSetKeys.PODS)) {
            return findReplicaSetFor(key.namespace(), key.name());
        }
        throw new IllegalArgumentException("not a key of the replicaset loop: " + key);
    }

    /**
     * An orphan pod: the oldest replica set of its namespace that selects it and is not being deleted adopts it
     * (Kubernetes lets whichever syncs first adopt; oldest first makes the choice the same on every run). The
     * adoption changes the pod, whose change then brings that replica set's own sync, which counts it.
     */
    private Result findReplicaSetFor(String namespace, String podName) {
        Optional<ObjectNode> found = client.get(ResourceType.PODS, namespace, podName);
        if (found.isEmpty() || !Pods.isActive(found.get()) || OwnerReferences.controllerOf(found.get()).isPresent()) {
            return Result.DONE;
        }
        ObjectNode orphan = found.get();
        List<ObjectNode> candidates = client.list(ResourceType.REPLICA_SETS, namespace, "", "").stream()
                .filter(rs -> !Meta.isBeingDeleted(rs) && selects(rs, orphan))
                .sorted(Comparator.comparing((ObjectNode rs) -> Pods.creationTimestamp(rs).orElse(Instant.MAX))
                        .thenComparing(Meta::name))
                .toList();
        ObjectNode pod = orphan;
        for (ObjectNode replicaSet : candidates) {
            LabelSelector selector = LabelSelector.fromJson(replicaSet.path("spec").path("selector"));
            List<ObjectNode> claimed = new ControllerRefManager(client, replicaSet, ReplicaSetSync.API_VERSION,
                    ReplicaSetSync.KIND, selector, ResourceType.PODS).claim(List.of(pod));
            if (!claimed.isEmpty()) {
                return Result.DONE;
            }
            Optional<ObjectNode> fresh = client.get(ResourceType.PODS, namespace, podName);
            if (fresh.isEmpty() || OwnerReferences.controllerOf(fresh.get()).isPresent()) {
                return Result.DONE; // gone, or someone else adopted it meanwhile
            }
            pod = fresh.get();
        }
        LOG.atDebug().addKeyValue("pod", namespace + "/" + podName).addKeyValue("candidates", candidates.size())
                .log("orphan pod checked");
        return Result.DONE;
    }

    private static boolean selects(ObjectNode replicaSet, ObjectNode pod) {
        try {
            return LabelSelector.fromJson(replicaSet.path("spec").path("selector")).matches(pod);
        } catch (SelectorException e) {
            return false;
        }
    }
}
