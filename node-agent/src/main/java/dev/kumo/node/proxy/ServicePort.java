package dev.kumo.node.proxy;

import java.util.List;
import java.util.Objects;

/**
 * One port of one Service as the proxier routes it (kube-proxy's {@code ServicePort}): the ClusterIP and port, the
 * node port (0: none), external and load-balancer IPs, ClientIP affinity's timeout (0: no affinity) and the traffic
 * policies. {@code protocol} is lower case as nftables spells it: {@code tcp}, {@code udp}, {@code sctp}.
 */
public record ServicePort(String namespace, String service, String portName, String protocol, String clusterIp,
                          int port, int nodePort, List<String> externalIps, List<String> loadBalancerIps,
                          int affinityTimeoutSeconds, boolean internalPolicyLocal, boolean externalPolicyLocal) {

    public ServicePort {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(portName, "portName");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(clusterIp, "clusterIp");
        externalIps = List.copyOf(externalIps);
        loadBalancerIps = List.copyOf(loadBalancerIps);
    }

    /** kube-proxy's {@code ServicePortName} string: {@code namespace/name:port} ({@code namespace/name} unnamed). */
    public String displayName() {
        return namespace + "/" + service + (portName.isEmpty() ? "" : ":" + portName);
    }

    /** The key endpoints are grouped under: the service, the port's name and its protocol. */
    public EndpointKey endpointKey() {
        return new EndpointKey(namespace, service, portName, protocol);
    }

    public boolean sessionAffinity() {
        return affinityTimeoutSeconds > 0;
    }

    /** Reachable from outside through a node port, an external IP or a load balancer. */
    public boolean externallyAccessible() {
        return nodePort != 0 || !externalIps.isEmpty() || !loadBalancerIps.isEmpty();
    }

    /** Whether some traffic uses the cluster-wide endpoints (kube-proxy's {@code UsesClusterEndpoints}). */
    public boolean usesClusterEndpoints() {
        return !internalPolicyLocal || (externallyAccessible() && !externalPolicyLocal);
    }

    /** Whether some traffic uses only this node's endpoints (kube-proxy's {@code UsesLocalEndpoints}). */
    public boolean usesLocalEndpoints() {
        return internalPolicyLocal || (externallyAccessible() && externalPolicyLocal);
    }

    /** A Service's port as EndpointSlices name it: their ports match a service port by name and protocol. */
    public record EndpointKey(String namespace, String service, String portName, String protocol) {
    }
}
