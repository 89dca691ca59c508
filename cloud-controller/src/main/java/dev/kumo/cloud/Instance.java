package dev.kumo.cloud;

import java.util.List;

/**
 * An instance as the cloud sees it.
 *
 * @param providerId   the Node's {@code spec.providerID}, e.g. {@code aws:///eu-west-1a/i-0abc} or
 *                     {@code kumo-local:///node-3}
 * @param nodeName     the name its node agent registers (EC2: the private DNS name; local: the agent's name)
 * @param nodePool     the pool that launched it, from its tags (null for an instance of no pool)
 * @param addresses    as a Node's {@code status.addresses}: types InternalIP, ExternalIP, InternalDNS, Hostname
 */
public record Instance(String providerId, String nodeName, String nodePool, String instanceType, String zone,
                       InstanceState state, List<Address> addresses) {
    public Instance {
        addresses = List.copyOf(addresses);
    }

    /** One entry of a Node's {@code status.addresses}. */
    public record Address(String type, String address) {
    }
}
