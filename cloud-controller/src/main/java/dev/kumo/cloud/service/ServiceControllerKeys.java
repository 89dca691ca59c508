package dev.kumo.cloud.service;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.KeyMapper;

import java.util.List;

/**
 * The service controller's keys, as its informer handlers: a Service that wants a load balancer or still carries
 * the cleanup finalizer → the Service (a deleted one needs nothing: the finalizer kept it until its load balancer was
 * gone); any Node added, changed or deleted → {@link #NODE_SYNC}, "the targets of every load balancer", which the
 * reconciler resolves with one list of Services (nothing more when no Service has a load balancer). A Node's status
 * is posted every minute, so most node keys change nothing: the reconciler compares the targets with those it last
 * ensured and calls the cloud only when they differ.
 */
final class ServiceControllerKeys implements KeyMapper {
    static final String SERVICES = "services";
    static final ObjectKey NODE_SYNC = ObjectKey.cluster("~service-nodes", "load-balancer-hosts");

    @Override
    public List<ObjectKey> keysFor(WatchEvent change) {
        ObjectKey key = change.key();
        if (key.resource().equals("nodes")) {
            return List.of(NODE_SYNC);
        }
        if (key.resource().equals(SERVICES) && change.type() != WatchEvent.Type.DELETED && change.object() != null
                && (LoadBalancerServices.wantsLoadBalancer(change.object())
                || LoadBalancerServices.hasFinalizer(change.object()))) {
            return List.of(key);
        }
        return List.of();
    }
}
