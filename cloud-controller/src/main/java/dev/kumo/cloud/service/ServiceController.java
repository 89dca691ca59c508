package dev.kumo.cloud.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.cloud.LoadBalancerRequest;
import dev.kumo.cloud.LoadBalancers;
import dev.kumo.cloud.RetryBackoff;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.runtime.ResyncSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * cloud-controller-manager's service controller: a {@code type: LoadBalancer} Service gets a load balancer from the
 * cloud and {@code status.loadBalancer.ingress}; its ports and the cluster's nodes are followed; deleting it (or
 * changing its type) deletes the load balancer, guarded by the {@code service.kubernetes.io/load-balancer-cleanup}
 * finalizer. Keys: Services, and {@link ServiceControllerKeys#NODE_SYNC} for any node change. A failure is a
 * {@code SyncLoadBalancerFailed} event and a requeue after kube's back-off (5 s doubling to 5 min); a failure the
 * cloud calls permanent (a non-retryable {@link dev.kumo.cloud.CloudException}) waits for the Service to change.
 * Resync on every tick: the Services with load balancers (one list), so a restarted cluster re-opens what it had.
 */
public final class ServiceController implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceController.class);
    public static final String NAME = "service";
    /** The event source, as cloud-controller-manager's service controller names itself. */
    public static final String COMPONENT = "service-controller";

    private final KubeClient client;
    private final EventRecorder events;
    private final LoadBalancerSync sync;
    private final RetryBackoff backoff = new RetryBackoff();

    ServiceController(KubeClient client, EventRecorder events, LoadBalancers loadBalancers) {
        this.client = client;
        this.events = events;
        this.sync = new LoadBalancerSync(client, events, loadBalancers);
    }

    /** The loop's key mapper alone (it needs no API client): what the fan-out runs. */
    public static KeyMapper keys() {
        return new ServiceControllerKeys();
    }

    public static ControlLoop loop(ControllerContext context, LoadBalancers loadBalancers) {
        return new ControlLoop(NAME, keys(), new ServiceController(context.client(), context.events(), loadBalancers),
                resync(context.client()));
    }

    /** Every Service that wants a load balancer or still has the cleanup finalizer. */
    static ResyncSource resync(KubeClient client) {
        return () -> services(client).stream()
                .map(service -> new ObjectKey(ServiceControllerKeys.SERVICES, Meta.namespace(service),
                        Meta.name(service))).toList();
    }

    private static List<ObjectNode> services(KubeClient client) {
        List<ObjectNode> services = new ArrayList<>();
        for (ObjectNode service : client.list(ResourceType.SERVICES, "", "", "")) {
            if (LoadBalancerServices.wantsLoadBalancer(service) || LoadBalancerServices.hasFinalizer(service)) {
                services.add(service);
            }
        }
        return services;
    }

    @Override
    public Result reconcile(ObjectKey key) {
        if (key.equals(ServiceControllerKeys.NODE_SYNC)) {
            return nodeSync();
        }
        if (!key.resource().equals(ServiceControllerKeys.SERVICES)) {
            LOG.atWarn().addKeyValue("key", key).log("not a service key; ignored");
            return Result.DONE;
        }
        Optional<ObjectNode> found = client.get(ResourceType.SERVICES, key.namespace(), key.name());
        if (found.isEmpty()) {
            backoff.succeeded(key);
            return Result.DONE; // deleted: its finalizer kept it until its load balancer was gone
        }
        ObjectNode service = found.get();
        boolean wants = LoadBalancerServices.wantsLoadBalancer(service);
        if (!wants && !LoadBalancerServices.hasFinalizer(service)) {
            backoff.succeeded(key);
            return Result.DONE;
        }
        try {
            if (!wants || LoadBalancerServices.needsCleanup(service)) {
                sync.delete(service);
            } else {
                sync.ensure(service, LoadBalancerHosts.targets(client.list(ResourceType.NODES, "", "", "")));
            }
            backoff.succeeded(key);
            return Result.DONE;
        } catch (LoadBalancerSync.SyncException e) {
            events.warning(service, "SyncLoadBalancerFailed", "Error syncing load balancer: " + e.getMessage());
            return failed(key, e);
        }
    }

    /**
     * kube's node sync: the targets of every load balancer this controller made (Services with the finalizer that
     * still want one). One list of Services when there are none.
     */
    private Result nodeSync() {
        List<ObjectNode> services = services(client).stream()
                .filter(s -> LoadBalancerServices.wantsLoadBalancer(s) && LoadBalancerServices.hasFinalizer(s)
                        && !Meta.isBeingDeleted(s)).toList();
        if (services.isEmpty()) {
            return Result.DONE;
        }
        List<LoadBalancerRequest.Target> targets =
                LoadBalancerHosts.targets(client.list(ResourceType.NODES, "", "", ""));
        LoadBalancerSync.SyncException failure = null;
        for (ObjectNode service : services) {
            try {
                sync.updateHosts(service, targets);
            } catch (LoadBalancerSync.SyncException e) {
                events.warning(service, "UpdateLoadBalancerFailed", e.getMessage());
                failure = e;
            }
        }
        if (failure == null) {
            backoff.succeeded(ServiceControllerKeys.NODE_SYNC);
            return Result.DONE;
        }
        return failed(ServiceControllerKeys.NODE_SYNC, failure);
    }

    private Result failed(ObjectKey key, LoadBalancerSync.SyncException e) {
        if (!e.retryable()) {
            LOG.atWarn().addKeyValue("key", key).addKeyValue("error", e.getMessage())
                    .log("load balancer sync failed for good; waiting for the service to change");
            backoff.succeeded(key);
            return Result.DONE;
        }
        Result retry = Result.requeueAfter(backoff.failed(key));
        LOG.atWarn().setCause(e.getCause()).addKeyValue("key", key).addKeyValue("retryAfter", retry.requeueAfter())
                .log("load balancer sync failed; retrying");
        return retry;
    }
}
