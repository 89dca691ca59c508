package dev.kumo.controllers.deployment;

import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.replicaset.Orphans;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.runtime.ResyncSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * kube-controller-manager's Deployment controller as a control loop: rolls each deployment's template out through
 * replica sets (RollingUpdate or Recreate), keeps their revisions for {@code kubectl rollout history} and
 * {@code undo}, scales them with the deployment, and reports progress and availability in its status (see
 * {@link DeploymentRun}). The progress deadline is noticed by a requeue at the deadline, so the loop needs no
 * resync on the tick.
 *
 * <p>A sync that meets a conflict or a 404 (the deployment or a replica set changed or went away under it) asks to
 * run again in a second;
 * one the API refuses (a quota, an invalid object) is retried after {@link #REFUSED_RETRY} with the refusal in the
 * deployment's conditions and events; anything else is thrown for the host's retries.
 */
public final class DeploymentController implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentController.class);
    public static final String NAME = "deployment";
    /** The component its events name, as kube-controller-manager's. */
    public static final String COMPONENT = "deployment-controller";
    static final Duration CONFLICT_RETRY = Duration.ofSeconds(1);
    static final Duration REFUSED_RETRY = Duration.ofSeconds(15);

    private final KubeClient client;
    private final DeploymentSync sync;

    public DeploymentController(ControllerContext context) {
        this.client = context.client();
        this.sync = new DeploymentSync(context);
    }

    /** The loop's key mapper, which needs no API client (the fan-out runs it). */
    public static KeyMapper keys() {
        return new DeploymentKeys();
    }

    /** The loop the hosts run: name {@code deployment}, keys by {@link DeploymentKeys}, no resync. */
    public static ControlLoop loop(ControllerContext context) {
        return new ControlLoop(NAME, keys(), new DeploymentController(context), ResyncSource.NONE);
    }

    @Override
    public Result reconcile(ObjectKey key) {
        try {
            if (key.resource().equals(DeploymentKeys.DEPLOYMENTS)) {
                return sync.sync(key.namespace(), key.name());
            }
            if (key.resource().equals(DeploymentKeys.REPLICA_SETS)) {
                Orphans.adopt(client, DeploymentSync.KINDS, key.namespace(), key.name(), rs -> !Meta.isBeingDeleted(rs));
                return Result.DONE;
            }
        } catch (ApiError e) {
            if (e.isConflict() || e.isNotFound()) {
                LOG.atInfo().addKeyValue("key", key.toString()).addKeyValue("message", e.getMessage())
                        .log("changed or gone during the sync: syncing again");
                return Result.requeueAfter(CONFLICT_RETRY);
            }
            if (e.code() >= 400 && e.code() < 500 && e.code() != 429) {
                LOG.atWarn().addKeyValue("key", key.toString()).addKeyValue("code", e.code())
                        .addKeyValue("message", e.getMessage()).log("the API refused a write: trying again later");
                return Result.requeueAfter(REFUSED_RETRY);
            }
            throw e;
        }
        throw new IllegalArgumentException("not a key of the deployment loop: " + key);
    }
}
