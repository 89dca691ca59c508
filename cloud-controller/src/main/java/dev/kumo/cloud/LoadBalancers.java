package dev.kumo.cloud;

import java.util.Optional;

/** Load balancers for {@code type: LoadBalancer} Services, as cloud-controller-manager's {@code LoadBalancer}. */
public interface LoadBalancers {
    /**
     * Creates the load balancer or brings an existing one (same {@link LoadBalancerRequest#name()}) in line with the
     * request: listeners per port, targets = the nodes' NodePorts, health checks. Returns where it is reachable.
     */
    LoadBalancerStatus ensure(LoadBalancerRequest request) throws CloudException;

    /** The load balancer with this name, if it exists. */
    Optional<LoadBalancerStatus> find(String name) throws CloudException;

    /** Deletes it with its listeners and target groups; one already gone is not an error. */
    void delete(String name) throws CloudException;
}
