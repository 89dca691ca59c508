package dev.kumo.cloud;

/** Traffic for {@code destinationCidr} (a node's {@code spec.podCIDR}) goes to the node's instance. */
public record Route(String nodeName, String providerId, String destinationCidr) {
}
