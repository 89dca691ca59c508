package dev.kumo.cloud.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.RetryBackoff;
import dev.kumo.cloud.Route;
import dev.kumo.cloud.Routes;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * cloud-controller-manager's route controller ({@code reconcileNodeRoutes}), one pass over the whole cluster per key:
 * every pod CIDR of every Node gets a route to that node, routes whose node is gone (or no longer has that CIDR, or
 * moved to another address) are deleted, and each node with a pod CIDR gets the condition {@code NetworkUnavailable}
 * False, reason {@code RouteCreated} (True, {@code NoRouteCreated}, when its route could not be made). A route that
 * cannot be made is a {@code FailedToCreateRoute} event on the node and a requeue with back-off.
 */
public final class RouteController implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(RouteController.class);
    public static final String NAME = "route";
    /** The event source, as cloud-controller-manager's route controller names itself. */
    public static final String COMPONENT = "route_controller";
    static final String NETWORK_UNAVAILABLE = "NetworkUnavailable";

    private final KubeClient client;
    private final Routes routes;
    private final EventRecorder events;
    private final Clock clock;
    private final RetryBackoff backoff = new RetryBackoff();

    RouteController(KubeClient client, Routes routes, EventRecorder events, Clock clock) {
        this.client = client;
        this.routes = routes;
        this.events = events;
        this.clock = clock;
    }

    /** The loop's key mapper alone (it needs no API client): what the fan-out runs. */
    public static KeyMapper keys() {
        return new RouteKeys();
    }

    public static ControlLoop loop(ControllerContext context, Routes routes) {
        return new ControlLoop(NAME, keys(), new RouteController(context.client(), routes, context.events(),
                context.clock()), () -> List.of(RouteKeys.RECONCILE));
    }

    @Override
    public Result reconcile(ObjectKey key) throws CloudException {
        if (!key.equals(RouteKeys.RECONCILE)) {
            LOG.atWarn().addKeyValue("key", key).log("not the route controller's key; ignored");
            return Result.DONE;
        }
        List<Route> existing;
        try {
            existing = routes.list();
        } catch (CloudException e) {
            if (!e.retryable()) {
                throw e;
            }
            LOG.atWarn().setCause(e).log("could not list routes; retrying");
            return Result.requeueAfter(backoff.failed(key));
        }
        List<ObjectNode> nodes = client.list(ResourceType.NODES, "", "", "");
        Map<String, Route> wanted = new HashMap<>(); // by destination CIDR
        for (ObjectNode node : routable(nodes)) {
            for (String cidr : podCidrs(node)) {
                wanted.put(cidr, new Route(Meta.name(node), node.path("spec").path("providerID").asText(""), cidr,
                        internalIp(node)));
            }
        }
        Set<String> kept = new HashSet<>();
        boolean failed = false;
        for (Route route : existing) {
            Route want = wanted.get(route.destinationCidr());
            if (want != null && want.nodeName().equals(route.nodeName()) && (route.targetAddress().isEmpty()
                    || route.targetAddress().equals(want.targetAddress()))) {
                kept.add(route.destinationCidr());
                continue;
            }
            try {
                routes.delete(route);
                LOG.atInfo().addKeyValue("node", route.nodeName()).addKeyValue("podCIDR", route.destinationCidr())
                        .log("deleted a route whose node is gone or changed");
            } catch (CloudException e) {
                LOG.atWarn().setCause(e).addKeyValue("node", route.nodeName())
                        .addKeyValue("podCIDR", route.destinationCidr()).log("could not delete route");
                failed = true;
            }
        }
        Set<String> nodesFailed = new HashSet<>();
        for (Route route : wanted.values()) {
            if (kept.contains(route.destinationCidr())) {
                continue;
            }
            try {
                routes.create(route);
            } catch (CloudException e) {
                nodesFailed.add(route.nodeName());
                failed = true;
                ObjectNode node = nodes.stream().filter(n -> Meta.name(n).equals(route.nodeName())).findFirst()
                        .orElseThrow();
                events.warning(node, "FailedToCreateRoute", "Could not create route " + Meta.uid(node) + " "
                        + route.destinationCidr() + " for node " + route.nodeName() + ": " + e.getMessage());
            }
        }
        for (ObjectNode node : routable(nodes)) {
            failed |= !setNetworkCondition(node, !nodesFailed.contains(Meta.name(node)));
        }
        if (failed) {
            return Result.requeueAfter(backoff.failed(key));
        }
        backoff.succeeded(key);
        return Result.DONE;
    }

    /**
     * kube's {@code updateNetworkingCondition}: nothing when the condition already says so; else a strategic merge
     * patch of that one condition (conditions merge by type, the kubelet's stay as they are). False when the write
     * failed (retried later).
     */
    private boolean setNetworkCondition(ObjectNode node, boolean routeCreated) {
        String status = routeCreated ? "False" : "True";
        for (JsonNode present : node.path("status").path("conditions")) {
            if (present.path("type").asText().equals(NETWORK_UNAVAILABLE)
                    && present.path("status").asText().equals(status)) {
                return true; // already set
            }
        }
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode patch = client.mapper().createObjectNode();
        ArrayNode conditions = patch.putObject("status").putArray("conditions");
        conditions.addObject().put("type", NETWORK_UNAVAILABLE).put("status", status)
                .put("reason", routeCreated ? "RouteCreated" : "NoRouteCreated")
                .put("message", routeCreated ? "RouteController created a route"
                        : "RouteController failed to create a route")
                .put("lastTransitionTime", now).put("lastHeartbeatTime", now);
        try {
            client.strategicMergePatch(ResourceType.NODES, "", Meta.name(node), "status", patch);
            LOG.atInfo().addKeyValue("node", Meta.name(node)).addKeyValue("networkUnavailable", status)
                    .log("node network condition set");
            return true;
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return true; // the node is gone: the next pass deletes its route
            }
            LOG.atWarn().setCause(e).addKeyValue("node", Meta.name(node)).log("could not set the network condition");
            return false;
        }
    }

    /**
     * The nodes that get routes: those with a pod CIDR and an InternalIP (a node agent posts its addresses right
     * after registering; its status change brings the next pass).
     */
    private static List<ObjectNode> routable(List<ObjectNode> nodes) {
        return nodes.stream().filter(node -> !podCidrs(node).isEmpty() && !internalIp(node).isEmpty()).toList();
    }

    static List<String> podCidrs(JsonNode node) {
        JsonNode spec = node.path("spec");
        if (spec.path("podCIDRs").isArray() && !spec.path("podCIDRs").isEmpty()) {
            return java.util.stream.StreamSupport.stream(spec.path("podCIDRs").spliterator(), false)
                    .map(JsonNode::asText).toList();
        }
        String cidr = spec.path("podCIDR").asText("");
        return cidr.isEmpty() ? List.of() : List.of(cidr);
    }

    private static String internalIp(JsonNode node) {
        for (JsonNode address : node.path("status").path("addresses")) {
            if (address.path("type").asText().equals("InternalIP")) {
                return address.path("address").asText("");
            }
        }
        return "";
    }
}
