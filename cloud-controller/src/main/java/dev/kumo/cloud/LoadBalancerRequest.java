package dev.kumo.cloud;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Service's load balancer as it should be.
 *
 * @param name    deterministic from the Service (cloud-controller-manager: {@code "a" + uid without dashes}, cut to
 *                the provider's limit), so that a retry finds what an earlier attempt created
 * @param service {@code namespace/name}, tagged on the load balancer for people reading the cloud console
 * @param ports   one listener per Service port, forwarding to that port's NodePort
 * @param targets the nodes that receive traffic (ready, schedulable nodes without the exclusion label)
 * @param annotations the Service's annotations, which carry provider settings as in cloud-controller-manager (AWS:
 *                    {@code service.beta.kubernetes.io/aws-load-balancer-scheme}); providers ignore the ones they do
 *                    not know
 */
public record LoadBalancerRequest(String name, String service, List<Port> ports, List<Target> targets,
                                  Map<String, String> annotations) {
    public LoadBalancerRequest {
        Objects.requireNonNull(name, "name");
        ports = List.copyOf(ports);
        targets = List.copyOf(targets);
        annotations = Map.copyOf(annotations);
    }

    /** A request without annotations (the provider's defaults). */
    public LoadBalancerRequest(String name, String service, List<Port> ports, List<Target> targets) {
        this(name, service, ports, targets, Map.of());
    }

    /** @param protocol {@code TCP} or {@code UDP}, as the Service port says */
    public record Port(String name, String protocol, int port, int nodePort) {
    }

    /** A node behind the load balancer: its provider id and the address its NodePorts listen on. */
    public record Target(String providerId, String address) {
    }
}
