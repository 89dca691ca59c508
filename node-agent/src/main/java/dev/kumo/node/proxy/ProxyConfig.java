package dev.kumo.node.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a node's service proxy is set up.
 *
 * @param nodeName          the node (endpoints on it are "local" for the Local traffic policies)
 * @param nodePortAddresses the addresses that accept NodePort traffic (kube-proxy's {@code --nodeport-addresses}
 *                          resolved to IPs); empty: every local address but loopback
 * @param clusterCidr       the pods' CIDR (kube-proxy's {@code --cluster-cidr}): traffic to a ClusterIP from outside
 *                          it is masqueraded; "" turns that off
 * @param networkNamespace  the network namespace whose nftables and sysctls the proxier programs ("" for the host's)
 * @param coalesce          how long after a change the proxier waits for more before it applies them together
 * @param repairPeriod      how often a quiet proxier checks that its table is still there (kube-proxy's
 *                          {@code --sync-period}), and builds it again if someone removed it
 */
public record ProxyConfig(String nodeName, List<String> nodePortAddresses, String clusterCidr, String networkNamespace,
                          Duration coalesce, Duration repairPeriod) {
    /** kube-proxy's default {@code --masquerade-bit} 14. */
    static final String MASQUERADE_MARK = "0x00004000";
    /** The default coalescing window: short against the one second the rules must follow endpoints in. */
    public static final Duration DEFAULT_COALESCE = Duration.ofMillis(50);
    /**
     * Where pods' traffic keeps its source address (ip-masq-agent's classic {@code nonMasqueradeCIDRs}, with
     * {@code masqLinkLocal: false}): the private ranges, which a VPC or the local node network routes back to pod
     * CIDRs; anything else leaves with the node's address.
     */
    static final List<String> NON_MASQUERADE_CIDRS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "169.254.0.0/16");
    /** kube-proxy's default {@code --sync-period}. */
    public static final Duration DEFAULT_REPAIR_PERIOD = Duration.ofSeconds(30);

    public ProxyConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        nodePortAddresses = List.copyOf(nodePortAddresses);
        Objects.requireNonNull(clusterCidr, "clusterCidr");
        Objects.requireNonNull(networkNamespace, "networkNamespace");
        Objects.requireNonNull(coalesce, "coalesce");
        Objects.requireNonNull(repairPeriod, "repairPeriod");
    }

    public static ProxyConfig of(String nodeName, List<String> nodePortAddresses, String clusterCidr,
                                 String networkNamespace) {
        return new ProxyConfig(nodeName, nodePortAddresses, clusterCidr, networkNamespace, DEFAULT_COALESCE,
                DEFAULT_REPAIR_PERIOD);
    }
}
