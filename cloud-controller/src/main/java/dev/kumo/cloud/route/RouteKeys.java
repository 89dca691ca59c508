package dev.kumo.cloud.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.KeyMapper;

import java.util.List;

/**
 * The route controller's one key, {@link #RECONCILE} (a pass over all nodes and routes, as kube's periodic
 * {@code reconcileNodeRoutes}), for: a Node added or deleted, and a Node changed while it has a pod CIDR but not yet
 * {@code NetworkUnavailable=False} (a new node's status arriving, a route not made yet). The routine status posts of
 * a routed node map to nothing; the minute tick makes a pass anyway, which catches address changes and routes
 * removed behind the controller's back.
 */
final class RouteKeys implements KeyMapper {
    static final ObjectKey RECONCILE = ObjectKey.cluster("~routes", "cluster");

    @Override
    public List<ObjectKey> keysFor(WatchEvent change) {
        if (!change.key().resource().equals("nodes")) {
            return List.of();
        }
        if (change.type() != WatchEvent.Type.MODIFIED || change.object() == null) {
            return List.of(RECONCILE);
        }
        JsonNode node = change.object();
        return !RouteController.podCidrs(node).isEmpty() && !routed(node) ? List.of(RECONCILE) : List.of();
    }

    private static boolean routed(JsonNode node) {
        for (JsonNode condition : node.path("status").path("conditions")) {
            if (condition.path("type").asText().equals(RouteController.NETWORK_UNAVAILABLE)) {
                return condition.path("status").asText().equals("False");
            }
        }
        return false;
    }
}
