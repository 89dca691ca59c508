package dev.kumo.cloud;

/**
 * Traffic for {@code destinationCidr} (a node's {@code spec.podCIDR}) goes to the node's instance.
 *
 * @param targetAddress the node's address (its InternalIP), the next hop of a host route; "" where the cloud routes
 *                      to the instance itself (a VPC route names the instance, not an address) or does not report it
 */
public record Route(String nodeName, String providerId, String destinationCidr, String targetAddress) {
    public Route {
        targetAddress = targetAddress == null ? "" : targetAddress;
    }

    /** A route whose target is the instance alone. */
    public Route(String nodeName, String providerId, String destinationCidr) {
        this(nodeName, providerId, destinationCidr, "");
    }
}
