package dev.kumo.cloud.local;

/**
 * How the local cluster numbers its nodes on a node network: node i (from 1) has the address {@code <nodeNet>.(i+1)}
 * (the host is {@code .1}) and the pod CIDR {@code <podNet>.(i-1).0/24}. Nodes 1 to {@value #STATIC_NODES} are the
 * cluster's static nodes ({@code kumo-node-N}); a pool instance in slot s is node {@value #STATIC_NODES}+1+s, so its
 * pod CIDR is clear of theirs ({@code <podNet>.128.0/24} upwards) and its address is on the same /24, where the host
 * and every node reach it straight over the bridge. The local cluster's real nodes (its {@code NodeNetwork}) and the
 * provider's instance records ({@link LocalInstanceStore}) both number nodes here, so that a record's address is the
 * one its node's namespace gets.
 *
 * @param nodeNet the first three octets of the node network ({@code 10.250.0})
 * @param podNet  the first two octets of the cluster CIDR ({@code 10.244})
 */
public record NodeAddressing(String nodeNet, String podNet) {
    /** The setting (a loop function's environment) naming the node network instances are numbered on. */
    public static final String ENV = "KUMO_LOCAL_NODE_NETWORK";
    /** Nodes 1..128 are the static nodes'. */
    public static final int STATIC_NODES = 128;
    /** The last node of a /24 node network that leaves room for the host ({@code .1}) and a broadcast address. */
    public static final int LAST_NODE = 250;
    /** What instances are numbered on where the cluster has no node network (simulated agents): nothing answers. */
    public static final NodeAddressing UNROUTED = new NodeAddressing("172.31.0", "10.244");

    public NodeAddressing {
        if (!nodeNet.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || !podNet.matches("\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("a node network's addresses are A.B.C:D.E (e.g. 10.250.0:10.244), not '"
                    + nodeNet + ":" + podNet + "'");
        }
    }

    /** {@code A.B.C:D.E}, as {@link #toString} writes it. */
    public static NodeAddressing parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a node network's addresses are A.B.C:D.E (e.g. 10.250.0:10.244), not '"
                    + text + "'");
        }
        return new NodeAddressing(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return nodeNet + ":" + podNet;
    }

    public String address(int node) {
        return nodeNet + "." + (node + 1);
    }

    public String podCidr(int node) {
        return podNet + "." + (node - 1) + ".0/24";
    }

    /** How many pool instances fit: nodes {@value #STATIC_NODES}+1 to {@value #LAST_NODE}. */
    public static int poolSlots() {
        return LAST_NODE - STATIC_NODES;
    }

    /** The node number of the pool instance in {@code slot}. */
    public static int poolNode(int slot) {
        if (slot < 0 || slot >= poolSlots()) {
            throw new IllegalArgumentException("a pool slot is 0 to " + (poolSlots() - 1) + ", not " + slot);
        }
        return STATIC_NODES + 1 + slot;
    }
}
