package dev.kumo.node.proxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the whole of table {@code ip kumo} as one nftables transaction, in the shape of kube-proxy's nftables mode
 * ({@code pkg/proxy/nftables/proxier.go}): the transaction deletes the table and builds it again, so that each sync
 * replaces the rules atomically.
 *
 * <ul>
 *   <li>{@code nat-prerouting} and {@code nat-output} jump to {@code services}, which dispatches through the
 *   {@code service-ips} map (ClusterIP, external and load-balancer IPs . protocol . port) and, for the node's
 *   addresses ({@code nodeport-ips}), the {@code service-nodeports} map (protocol . node port);</li>
 *   <li>a service port's chain ({@code service-…}) picks one of its endpoints evenly ({@code numgen random mod N
 *   vmap}), after the ClientIP affinity sets if the service has affinity; an endpoint's chain ({@code endpoint-…})
 *   marks hairpin traffic (the endpoint reaching itself) for masquerade, records the client in its affinity set and
 *   DNATs; {@code external-…} chains mark NodePort and external traffic for masquerade ({@code externalTrafficPolicy:
 *   Local} keeps the client's address and uses only this node's endpoints);</li>
 *   <li>traffic to a ClusterIP from outside the cluster CIDR is marked for masquerade; {@code nat-postrouting}
 *   masquerades what is marked;</li>
 *   <li>pods' traffic beyond the private ranges leaves with the node's address ({@code pod-egress}, what
 *   ip-masq-agent does beside kube-proxy; {@link ProxyConfig#NON_MASQUERADE_CIDRS});</li>
 *   <li>{@code filter-input/forward/output} reject new connections to service ports without endpoints
 *   ({@code no-endpoint-services}, {@code no-endpoint-nodeports}), as kube-proxy does.</li>
 * </ul>
 *
 * Not rendered: LoadBalancer source ranges (the firewall chains), topology hints, IPv6.
 */
public final class RulesetRenderer {
    public static final String TABLE = "kumo";
    private static final String FAMILY_TABLE = "ip " + TABLE;

    private static final String SERVICES = "services";
    private static final String MASQUERADING = "masquerading";
    private static final String MARK_MASQ = "mark-for-masquerade";
    private static final String POD_EGRESS = "pod-egress";
    private static final String ENDPOINTS_CHECK = "endpoints-check";
    private static final String REJECT = "reject-chain";
    private static final String NODEPORT_IPS = "nodeport-ips";
    private static final String SERVICE_IPS = "service-ips";
    private static final String SERVICE_NODEPORTS = "service-nodeports";
    private static final String NO_ENDPOINT_SERVICES = "no-endpoint-services";
    private static final String NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";
    private static final String NO_LOCALHOST = "ip daddr != 127.0.0.0/8";

    private final ProxyConfig config;

    public RulesetRenderer(ProxyConfig config) {
        this.config = config;
    }

    /** The transaction that removes the table (if it exists). */
    public static String deleteTable() {
        return "add table " + FAMILY_TABLE + "\ndelete table " + FAMILY_TABLE + "\n";
    }

    public Ruleset render(List<ServicePort> ports, Map<ServicePort.EndpointKey, List<Endpoint>> endpoints) {
        Transaction tx = new Transaction();
        tx.line("", "add table " + FAMILY_TABLE);
        tx.line("", "delete table " + FAMILY_TABLE);
        tx.line("", "add table " + FAMILY_TABLE + " { comment \"rules for kumo's service proxy\" ; }");
        setUp(tx);
        List<ServicePort> sorted = new ArrayList<>(ports);
        sorted.sort((a, b) -> (a.displayName() + "/" + a.protocol()).compareTo(b.displayName() + "/" + b.protocol()));
        for (ServicePort port : sorted) {
            servicePort(tx, port, endpoints.getOrDefault(port.endpointKey(), List.of()));
        }
        return tx.build();
    }

    /** The base chains, the dispatch chains and maps, masquerading and the no-endpoints reject. */
    private void setUp(Transaction tx) {
        baseChain(tx, "filter-input", "filter hook input priority -110", "ct state new jump " + ENDPOINTS_CHECK);
        baseChain(tx, "filter-forward", "filter hook forward priority -110", "ct state new jump " + ENDPOINTS_CHECK);
        baseChain(tx, "filter-output", "filter hook output priority -110", "ct state new jump " + ENDPOINTS_CHECK);
        baseChain(tx, "nat-prerouting", "nat hook prerouting priority -100", "jump " + SERVICES);
        baseChain(tx, "nat-output", "nat hook output priority -100", "jump " + SERVICES);
        baseChain(tx, "nat-postrouting", "nat hook postrouting priority 100", "jump " + MASQUERADING);
        for (String chain : List.of(SERVICES, MASQUERADING, MARK_MASQ, ENDPOINTS_CHECK, REJECT)) {
            tx.chain("", chain);
        }
        tx.rule("", MARK_MASQ, "mark set mark or " + ProxyConfig.MASQUERADE_MARK);
        tx.rule("", MASQUERADING, "mark and " + ProxyConfig.MASQUERADE_MARK + " == 0 return");
        tx.rule("", MASQUERADING, "mark set mark xor " + ProxyConfig.MASQUERADE_MARK);
        tx.rule("", MASQUERADING, "masquerade fully-random");
        tx.rule("", REJECT, "reject");
        if (!config.clusterCidr().isEmpty()) {
            // ip-masq-agent's role: pods reach pods and private networks with their own addresses (routed pod
            // CIDRs), anything beyond with the node's, which is the only one the internet (or a VPC's internet
            // gateway) answers
            tx.chain("", POD_EGRESS);
            tx.rule("", "nat-postrouting", "ip saddr " + config.clusterCidr() + " jump " + POD_EGRESS);
            tx.rule("", POD_EGRESS, "ip daddr { " + String.join(", ", ProxyConfig.NON_MASQUERADE_CIDRS) + " } return");
            tx.rule("", POD_EGRESS, "masquerade fully-random");
        }

        String nodePortMatch;
        if (config.nodePortAddresses().isEmpty()) {
            nodePortMatch = "fib daddr type local " + NO_LOCALHOST;
        } else {
            tx.set("", NODEPORT_IPS, "type ipv4_addr ; comment \"IPs that accept NodePort traffic\" ;");
            tx.element("", NODEPORT_IPS, String.join(", ", config.nodePortAddresses()));
            nodePortMatch = "ip daddr @" + NODEPORT_IPS;
        }
        tx.set("", NO_ENDPOINT_SERVICES, "type ipv4_addr . inet_proto . inet_service : verdict ;"
                + " comment \"vmap to drop or reject packets to services with no endpoints\" ;");
        tx.set("", NO_ENDPOINT_NODEPORTS, "type inet_proto . inet_service : verdict ;"
                + " comment \"vmap to drop or reject packets to service nodeports with no endpoints\" ;");
        tx.set("", SERVICE_IPS, "type ipv4_addr . inet_proto . inet_service : verdict ;"
                + " comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\" ;");
        tx.set("", SERVICE_NODEPORTS, "type inet_proto . inet_service : verdict ; comment \"NodePort traffic\" ;");
        tx.rule("", ENDPOINTS_CHECK, "ip daddr . meta l4proto . th dport vmap @" + NO_ENDPOINT_SERVICES);
        tx.rule("", ENDPOINTS_CHECK, nodePortMatch + " meta l4proto . th dport vmap @" + NO_ENDPOINT_NODEPORTS);
        tx.rule("", SERVICES, "ip daddr . meta l4proto . th dport vmap @" + SERVICE_IPS);
        tx.rule("", SERVICES, nodePortMatch + " meta l4proto . th dport vmap @" + SERVICE_NODEPORTS);
    }

    private static void baseChain(Transaction tx, String name, String hook, String rule) {
        tx.chain("", name, "type " + hook + " ; policy accept ;");
        tx.rule("", name, rule);
    }

    /** One service port: its map elements, chains, affinity sets and rules (kube-proxy's loop in syncProxyRules). */
    private void servicePort(Transaction tx, ServicePort port, List<Endpoint> endpoints) {
        String owner = port.displayName();
        EndpointCategories categories = EndpointCategories.of(port, endpoints, config.nodeName());
        String protocol = port.protocol();

        String clusterChain = ChainNames.service(port);
        boolean usesClusterChain = !categories.cluster().isEmpty() && port.usesClusterEndpoints();
        String localChain = ChainNames.local(port);
        boolean usesLocalChain = !categories.local().isEmpty() && port.usesLocalEndpoints();

        String internalChain = port.internalPolicyLocal() ? localChain : clusterChain;
        boolean hasInternalEndpoints = categories.hasAny()
                && (!port.internalPolicyLocal() || !categories.local().isEmpty());
        String externalPolicyChain = port.externalPolicyLocal() ? localChain : clusterChain;
        boolean hasExternalEndpoints = categories.hasAny()
                && (!port.externalPolicyLocal() || !categories.local().isEmpty());
        String externalChain = ChainNames.external(port);
        boolean usesExternalChain = categories.hasAny() && port.externallyAccessible();

        // Without endpoints anywhere, new connections are rejected; with endpoints elsewhere only, a Local
        // policy drops what it cannot serve here.
        String internalVerdict = categories.hasAny() ? "drop" : "goto " + REJECT;
        String externalVerdict = internalVerdict;

        // each endpoint's names hash once: a large cluster renders tens of thousands of them
        Map<String, String> bases = new HashMap<>();
        for (Endpoint endpoint : categories.allReachable()) {
            bases.put(endpoint.address(), ChainNames.endpointBase(port, endpoint));
        }
        for (Endpoint endpoint : categories.allReachable()) {
            tx.chain(owner, ChainNames.ENDPOINT_PREFIX + bases.get(endpoint.address()));
        }
        if (usesClusterChain) {
            tx.chain(owner, clusterChain);
        }
        if (usesLocalChain) {
            tx.chain(owner, localChain);
        }
        if (usesExternalChain) {
            tx.chain(owner, externalChain);
        }

        String clusterKey = port.clusterIp() + " . " + protocol + " . " + port.port();
        if (hasInternalEndpoints) {
            tx.element(owner, SERVICE_IPS, clusterKey + " : goto " + internalChain);
        } else {
            tx.element(owner, NO_ENDPOINT_SERVICES, clusterKey + " : " + internalVerdict);
        }
        List<String> externalAddresses = new ArrayList<>(port.externalIps());
        externalAddresses.addAll(port.loadBalancerIps());
        for (String address : externalAddresses) {
            String key = address + " . " + protocol + " . " + port.port();
            if (categories.hasAny()) {
                tx.element(owner, SERVICE_IPS, key + " : goto " + externalChain);
            }
            if (!hasExternalEndpoints) {
                tx.element(owner, NO_ENDPOINT_SERVICES, key + " : " + externalVerdict);
            }
        }
        if (port.nodePort() != 0) {
            String key = protocol + " . " + port.nodePort();
            if (categories.hasAny()) {
                tx.element(owner, SERVICE_NODEPORTS, key + " : goto " + externalChain);
            }
            if (!hasExternalEndpoints) {
                tx.element(owner, NO_ENDPOINT_NODEPORTS, key + " : " + externalVerdict);
            }
        }

        if (hasInternalEndpoints && !config.clusterCidr().isEmpty()) {
            // Off-cluster clients reaching a ClusterIP (through a route to the service CIDR) are masqueraded, so
            // that the endpoint, maybe on another node, answers through this one.
            tx.rule(owner, internalChain, "ip daddr " + port.clusterIp() + " " + protocol + " dport " + port.port()
                    + " ip saddr != " + config.clusterCidr() + " jump " + MARK_MASQ);
        }
        if (usesExternalChain) {
            externalRules(tx, owner, port, externalChain, usesClusterChain ? clusterChain : null);
            if (hasExternalEndpoints) {
                tx.rule(owner, externalChain, "goto " + externalPolicyChain);
            }
        }
        if (port.sessionAffinity()) {
            for (Endpoint endpoint : categories.allReachable()) {
                tx.set(owner, ChainNames.AFFINITY_PREFIX + bases.get(endpoint.address()), "type ipv4_addr ; flags dynamic,timeout ;"
                        + " timeout " + port.affinityTimeoutSeconds() + "s ;");
            }
        }
        if (usesClusterChain) {
            pickEndpoint(tx, owner, port, clusterChain, categories.cluster(), bases);
        }
        if (usesLocalChain) {
            pickEndpoint(tx, owner, port, localChain, categories.local(), bases);
        }
        for (Endpoint endpoint : categories.allReachable()) {
            String chain = ChainNames.ENDPOINT_PREFIX + bases.get(endpoint.address());
            // Hairpin: an endpoint reaching itself through its service would see its own address as the source.
            tx.rule(owner, chain, "ip saddr " + endpoint.ip() + " jump " + MARK_MASQ);
            if (port.sessionAffinity()) {
                tx.rule(owner, chain, "update @" + ChainNames.AFFINITY_PREFIX + bases.get(endpoint.address())
                        + " { ip saddr }");
            }
            tx.rule(owner, chain, "meta l4proto " + protocol + " dnat to " + endpoint.address());
        }
    }

    /** NodePort, external and load-balancer traffic: masqueraded unless the policy is Local. */
    private void externalRules(Transaction tx, String owner, ServicePort port, String externalChain,
                               String clusterChain) {
        if (!port.externalPolicyLocal()) {
            // the endpoint may be on another node: its answer must come back through this one
            tx.rule(owner, externalChain, "jump " + MARK_MASQ);
            return;
        }
        if (clusterChain == null) {
            return;
        }
        if (!config.clusterCidr().isEmpty()) {
            // a pod reaching a NodePort is as if it went out to a load balancer and back: no traffic policy
            tx.rule(owner, externalChain, "ip saddr " + config.clusterCidr() + " goto " + clusterChain);
        }
        // the node itself: its source address is local to it, so it must be masqueraded, and it may use any endpoint
        tx.rule(owner, externalChain, "fib saddr type local jump " + MARK_MASQ);
        tx.rule(owner, externalChain, "fib saddr type local goto " + clusterChain);
    }

    /** Affinity first (a client seen recently goes to the same endpoint), then an even random pick. */
    private static void pickEndpoint(Transaction tx, String owner, ServicePort port, String chain,
                                     List<Endpoint> endpoints, Map<String, String> bases) {
        if (port.sessionAffinity()) {
            for (Endpoint endpoint : endpoints) {
                String base = bases.get(endpoint.address());
                tx.rule(owner, chain, "ip saddr @" + ChainNames.AFFINITY_PREFIX + base + " goto "
                        + ChainNames.ENDPOINT_PREFIX + base);
            }
        }
        List<String> choices = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            choices.add(i + " : goto " + ChainNames.ENDPOINT_PREFIX + bases.get(endpoints.get(i).address()));
        }
        tx.rule(owner, chain, "numgen random mod " + endpoints.size() + " vmap { " + String.join(", ", choices) + " }");
    }

    /**
     * The transaction's commands by kind, written out in an order nft accepts in one run: what a rule or element
     * names (chains, sets, maps) exists before it.
     */
    private static final class Transaction {
        private final Ruleset.Builder head = new Ruleset.Builder();
        private final Ruleset.Builder chains = new Ruleset.Builder();
        private final Ruleset.Builder sets = new Ruleset.Builder();
        private final Ruleset.Builder rules = new Ruleset.Builder();
        private final Ruleset.Builder elements = new Ruleset.Builder();

        void line(String owner, String command) {
            head.add(owner, command);
        }

        void chain(String owner, String name) {
            chains.add(owner, "add chain " + FAMILY_TABLE + " " + name);
        }

        void chain(String owner, String name, String spec) {
            chains.add(owner, "add chain " + FAMILY_TABLE + " " + name + " { " + spec + " }");
        }

        /** A set, or a map when {@code spec}'s type has a {@code :}. */
        void set(String owner, String name, String spec) {
            String kind = spec.substring(0, spec.indexOf(';')).contains(":") ? "map" : "set";
            sets.add(owner, "add " + kind + " " + FAMILY_TABLE + " " + name + " { " + spec + " }");
        }

        void rule(String owner, String chain, String rule) {
            rules.add(owner, "add rule " + FAMILY_TABLE + " " + chain + " " + rule);
        }

        void element(String owner, String setOrMap, String element) {
            elements.add(owner, "add element " + FAMILY_TABLE + " " + setOrMap + " { " + element + " }");
        }

        Ruleset build() {
            List<String> lines = new ArrayList<>();
            List<String> owners = new ArrayList<>();
            for (Ruleset part : List.of(head.build(), chains.build(), sets.build(), rules.build(), elements.build())) {
                lines.addAll(part.lines());
                owners.addAll(part.owners());
            }
            return new Ruleset(lines, owners);
        }
    }
}
