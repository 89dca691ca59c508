package dev.kumo.node.proxy;

import dev.kumo.node.network.Ipv4Cidr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * kube-proxy's {@code CategorizeEndpoints} without topology hints: the endpoints for Cluster traffic policy (ready
 * ones anywhere, else serving-and-terminating ones), those for Local policy (the same, on this node only), every
 * endpoint reachable from this node (their union) and whether the service has usable endpoints anywhere. Lists are
 * empty when the service never uses that policy. Endpoints are ordered by address, so that the same endpoints
 * always give the same rules.
 */
public record EndpointCategories(List<Endpoint> cluster, List<Endpoint> local, List<Endpoint> allReachable,
                                 boolean hasAny) {

    private static final Comparator<Endpoint> BY_ADDRESS = Comparator
            .comparingLong((Endpoint e) -> Integer.toUnsignedLong(Ipv4Cidr.parseAddress(e.ip())))
            .thenComparingInt(Endpoint::port);

    public static EndpointCategories of(ServicePort port, List<Endpoint> endpoints, String nodeName) {
        List<Endpoint> cluster = List.of();
        boolean hasAny = false;
        if (port.usesClusterEndpoints()) {
            cluster = usable(endpoints, e -> true);
            hasAny = !cluster.isEmpty();
        }
        if (!port.usesLocalEndpoints()) {
            return new EndpointCategories(cluster, List.of(), cluster, hasAny);
        }
        hasAny = hasAny || endpoints.stream().anyMatch(e -> e.ready() || (e.serving() && e.terminating()));
        List<Endpoint> local = usable(endpoints, e -> nodeName.equals(e.nodeName()));
        if (!port.usesClusterEndpoints()) {
            return new EndpointCategories(cluster, local, local, hasAny);
        }
        Map<String, Endpoint> union = new LinkedHashMap<>();
        cluster.forEach(e -> union.put(e.address(), e));
        local.forEach(e -> union.put(e.address(), e));
        return new EndpointCategories(cluster, local, sorted(new ArrayList<>(union.values())), hasAny);
    }

    /** Ready endpoints among those {@code where} selects; if there are none, serving-and-terminating ones. */
    private static List<Endpoint> usable(List<Endpoint> endpoints, Predicate<Endpoint> where) {
        List<Endpoint> ready = endpoints.stream().filter(where).filter(Endpoint::ready).toList();
        if (!ready.isEmpty()) {
            return sorted(ready);
        }
        return sorted(endpoints.stream().filter(where).filter(e -> e.serving() && e.terminating()).toList());
    }

    private static List<Endpoint> sorted(List<Endpoint> endpoints) {
        return endpoints.stream().sorted(BY_ADDRESS).toList();
    }
}
