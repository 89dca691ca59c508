package dev.kumo.cloud;

import java.util.List;

/** Where a load balancer is reachable: a Service's {@code status.loadBalancer.ingress}. */
public record LoadBalancerStatus(String name, List<Ingress> ingress) {
    public LoadBalancerStatus {
        ingress = List.copyOf(ingress);
    }

    /** One ingress point: an IP (local) or a hostname (an NLB's DNS name). */
    public record Ingress(String ip, String hostname) {
    }
}
