package dev.kumo.controllers.replicaset;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.runtime.ResyncSource;

/**
 * kube-controller-manager's ReplicaSet controller as a control loop: keeps {@code spec.replicas} pods of each
 * replica set's template running (see {@link ReplicaSetSync}), and finds replica sets for orphan pods (see
 * {@link ReplicaSetKeys}). Nothing is time-based beyond minReadySeconds, which a sync asks for as a requeue, so
 * the loop needs no resync on the tick.
 */
public final class ReplicaSetController implements Reconciler {
    public static final String NAME = "replicaset";
    /** The component its events name, as kube-controller-manager's. */
    public static final String COMPONENT = "replicaset-controller";

    private final KubeClient client;
    private final ReplicaSetSync sync;

    public ReplicaSetController(ControllerContext context) {
        this.client = context.client();
        this.sync = new ReplicaSetSync(context);
    }

    /** The loop's key mapper, which needs no API client (the fan-out runs it). */
    public static KeyMapper keys() {
        return new ReplicaSetKeys();
    }

    /** The loop the hosts run: name {@code replicaset}, keys by {@link ReplicaSetKeys}, no resync. */
    public static ControlLoop loop(ControllerContext context) {
        return new ControlLoop(NAME, keys(), new ReplicaSetController(context), ResyncSource.NONE);
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

    /** An orphan pod: the oldest replica set of its namespace that selects it adopts it. */
    private Result findReplicaSetFor(String namespace, String podName) {
        Orphans.adopt(client, ReplicaSetSync.KINDS, namespace, podName, Pods::isActive);
        return Result.DONE;
    }
}
