package dev.kumo.local;

import dev.kumo.cloud.local.NodeAddressing;
import dev.kumo.node.proxy.HostCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The network of the local cluster's real nodes, made with {@code ip} on this host: a bridge on the host
 * ({@code <tag>-nodes}, {@code <net>.1/24}) and, for node i (from 1), a network namespace {@code <tag>-node-i} joined
 * to it by a veth pair ({@code <tag>-v<i>} on the bridge, {@code eth0} inside with {@code <net>.(i+1)/24}, the node's
 * InternalIP, default route via the host). Pod CIDR i ({@code <pods>.(i-1).0/24}) is routed to node i's address by
 * the host and by every other node, straight over the shared bridge, so that traffic between pods of two nodes is
 * routed, not translated. Deleting a namespace takes its veth pair, the pod bridge and the nftables inside with it;
 * deleting the host bridge takes the host's routes to the pod CIDRs. Nodes join ({@link #add}) and leave
 * ({@link #remove(int)}) one at a time: the static nodes are 1 to N, node pools' instances come and go as nodes
 * from 129 on ({@link NodeAddressing}, which numbers the provider's instance records the same way).
 *
 * @param tag     prefix of every name this network makes (the local cluster's is {@code kumo}; tests use another
 *                tag and other addresses so that they can run beside it)
 * @param nodeNet the first three octets of the node network ({@code 10.250.0})
 * @param podNet  the first two octets of the cluster CIDR ({@code 10.244}; a /16 cut into one /24 per node)
 */
public record NodeNetwork(String tag, String nodeNet, String podNet) {
    private static final Logger LOG = LoggerFactory.getLogger(NodeNetwork.class);
    /** The network of {@code ./kumo up}. */
    public static final NodeNetwork LOCAL = new NodeNetwork("kumo", "10.250.0", "10.244");
    /** Serializes joins and leaves: each reads which namespaces are there to route to them. */
    private static final ReentrantLock CHANGES = new ReentrantLock();
    private static final Path NETNS_DIR = Path.of("/run/netns");
    /** Who uses a node network: {@code <tag>.owner} holds "pid home" of the cluster that made it. */
    private static final Path OWNERS_DIR = Path.of("/run/kumo");

    public NodeNetwork {
        if (tag.length() > 6 || !tag.matches("[a-z][a-z0-9]*")) {
            throw new IllegalArgumentException("a node network tag is 1-6 lower-case letters or digits (interface"
                    + " names have at most 15 characters), not '" + tag + "'");
        }
    }

    /** {@code tag:nodeNet:podNet}, e.g. {@code kumoe:10.251.0:10.245}. */
    public static NodeNetwork parse(String text) {
        String[] parts = text.split(":");
        if (parts.length != 3 || !parts[1].matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
                || !parts[2].matches("\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("a node network is TAG:A.B.C:D.E (e.g. kumo:10.250.0:10.244), not '"
                    + text + "'");
        }
        return new NodeNetwork(parts[0], parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return tag + ":" + nodeNet + ":" + podNet;
    }

    public String bridge() {
        return tag + "-nodes";
    }

    public String hostAddress() {
        return nodeNet + ".1";
    }

    public String namespace(int node) {
        return tag + "-node-" + node;
    }

    public String address(int node) {
        return addressing().address(node);
    }

    public String podCidr(int node) {
        return addressing().podCidr(node);
    }

    /** How nodes are numbered on this network: what the local provider's instance records follow too. */
    public NodeAddressing addressing() {
        return new NodeAddressing(nodeNet, podNet);
    }

    public String clusterCidr() {
        return podNet + ".0.0/16";
    }

    private String hostVeth(int node) {
        return tag + "-v" + node;
    }

    /**
     * Marks this network as the one of the cluster in {@code home} (this process). Refused while another live
     * process holds it: making the network removes what is there, which would cut that cluster's nodes off.
     */
    public void claim(Path home) throws IOException {
        Files.createDirectories(OWNERS_DIR);
        Path owner = OWNERS_DIR.resolve(tag + ".owner");
        long self = ProcessHandle.current().pid();
        if (Files.exists(owner)) {
            String[] held = Files.readString(owner).strip().split(" ", 2);
            long pid = Long.parseLong(held[0]);
            if (pid != self && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException("the node network '" + tag + "' (bridge " + bridge() + ") belongs to"
                        + " the cluster of pid " + pid + (held.length > 1 ? " (home " + held[1] + ")" : "")
                        + ": stop it first");
            }
        }
        Files.writeString(owner, self + " " + home.toAbsolutePath() + "\n");
    }

    /** Gives up the claim of {@link #claim}, if this process holds it. */
    public void release() throws IOException {
        Path owner = OWNERS_DIR.resolve(tag + ".owner");
        if (Files.exists(owner) && Files.readString(owner).strip().split(" ", 2)[0]
                .equals(Long.toString(ProcessHandle.current().pid()))) {
            Files.delete(owner);
        }
    }

    /**
     * Makes the bridge with the host's address and lets the network reach beyond the machine, after removing whatever
     * of this tag is there: the network without nodes, which {@link #add} then joins one at a time.
     */
    public void create() throws IOException, InterruptedException {
        remove();
        ip("link", "add", bridge(), "type", "bridge");
        ip("addr", "add", hostAddress() + "/24", "dev", bridge());
        ip("link", "set", bridge(), "up");
        allowEgress();
        LOG.atInfo().addKeyValue("bridge", bridge()).addKeyValue("clusterCidr", clusterCidr())
                .log("node network created");
    }

    /**
     * Joins node {@code node} to the network: its namespace with a veth on the bridge, its address and a default
     * route via the host; its pod CIDR routed to its address by the host and by every node already there, and theirs
     * by it. A namespace of that number left by a failed start is replaced.
     */
    public void add(int node) throws IOException, InterruptedException {
        if (node < 1 || node > NodeAddressing.LAST_NODE) {
            throw new IllegalArgumentException("a node network's nodes are 1 to " + NodeAddressing.LAST_NODE + ", not "
                    + node);
        }
        // nodes joining at once (pool instances boot side by side) must each see the other's namespace
        CHANGES.lock();
        try {
            List<Integer> present = nodes();
            if (present.contains(node)) {
                removeLocked(node);
            }
            String ns = namespace(node);
            ip("netns", "add", ns);
            ip("link", "add", hostVeth(node), "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("link", "set", hostVeth(node), "master", bridge(), "up");
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "addr", "add", address(node) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", ns, "route", "add", "default", "via", hostAddress());
            // replace, not add: the route controller (LocalRoutes) makes the host's route too
            ip("route", "replace", podCidr(node), "via", address(node), "dev", bridge());
            for (int other : present) {
                if (other != node) {
                    ip("-n", ns, "route", "replace", podCidr(other), "via", address(other), "dev", "eth0");
                    ip("-n", namespace(other), "route", "replace", podCidr(node), "via", address(node), "dev", "eth0");
                }
            }
            // the node routes its pods' traffic (the service proxy sets it too, but pods may start first)
            run(new HostCommand(ns), List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        } finally {
            CHANGES.unlock();
        }
        LOG.atInfo().addKeyValue("namespace", namespace(node)).addKeyValue("address", address(node))
                .addKeyValue("podCIDR", podCidr(node)).log("node joined the node network");
    }

    /**
     * Takes node {@code node} off the network, as a machine that is gone: its namespace (with its veth, pod bridge
     * and nftables) and every route to its pod CIDR, the host's and the other nodes'. What is not there is no error.
     */
    public void remove(int node) throws IOException, InterruptedException {
        CHANGES.lock();
        try {
            removeLocked(node);
        } finally {
            CHANGES.unlock();
        }
        LOG.atInfo().addKeyValue("namespace", namespace(node)).addKeyValue("podCIDR", podCidr(node))
                .log("node left the node network");
    }

    private void removeLocked(int node) throws IOException, InterruptedException {
        List<Integer> present = nodes();
        if (present.contains(node)) {
            deleteNamespace(namespace(node));
        }
        runUnlessGone(new HostCommand(""), List.of("ip", "route", "del", podCidr(node), "via", address(node)));
        for (int other : present) {
            if (other != node) {
                runUnlessGone(new HostCommand(namespace(other)), List.of("ip", "route", "del", podCidr(node)));
            }
        }
    }

    /** The nodes whose namespaces are there, by number. */
    public List<Integer> nodes() throws IOException {
        return leftoverNamespaces().stream().map(ns -> Integer.parseInt(ns.substring(ns.lastIndexOf('-') + 1)))
                .sorted().toList();
    }

    /**
     * Lets nodes and pods reach beyond this machine, as Docker does for its bridge: the host forwards IPv4 (a
     * machine-wide setting, left on), and what leaves from the node network or the pod CIDRs through any other
     * interface than the bridge is masqueraded to the host's address there (nothing outside routes those ranges
     * back). Its own table, {@code <tag>_egress}, removed with the network.
     */
    private void allowEgress() throws IOException, InterruptedException {
        run(new HostCommand(""), List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        replaceTable(new HostCommand(""), egressTable(), ""
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    ip saddr { " + nodeNet + ".0/24, " + clusterCidr() + " } oifname != \"" + bridge()
                + "\" masquerade\n"
                + "  }\n");
    }

    private String egressTable() {
        return tag + "_egress";
    }

    /**
     * Table {@code ip <name>} with {@code body} (its chains) in one transaction, whatever was there before; an empty
     * body deletes it (a table that is not there is no error: nft's add-then-delete idiom).
     */
    private static void replaceTable(HostCommand where, String name, String body)
            throws IOException, InterruptedException {
        String table = "table ip " + name;
        String rules = "add " + table + "\ndelete " + table + "\n"
                + (body.isEmpty() ? "" : table + " {\n" + body + "}\n");
        run(where, List.of("nft", "-f", "-"), rules);
    }

    /**
     * Removes every namespace of this tag ({@code <tag>-node-*}) and the bridge, whatever an earlier run left; what
     * is not there is no error.
     *
     * @return the names it removed
     */
    public List<String> remove() throws IOException, InterruptedException {
        List<String> removed = new ArrayList<>();
        for (String ns : leftoverNamespaces()) {
            deleteNamespace(ns);
            removed.add(ns);
        }
        replaceTable(new HostCommand(""), egressTable(), "");
        HostCommand.Result bridgeGone = new HostCommand("").run(List.of("ip", "link", "delete", bridge()), "");
        if (bridgeGone.succeeded()) {
            removed.add(bridge());
        } else if (!bridgeGone.output().contains("Cannot find device")) {
            throw new IOException("ip link delete " + bridge() + " failed: " + bridgeGone.output());
        }
        if (!removed.isEmpty()) {
            LOG.atInfo().addKeyValue("removed", removed).log("node network removed");
        }
        return removed;
    }

    /**
     * Deletes namespace {@code ns} after killing whatever still runs in it (an agent or containerd that outlived its
     * cluster): a process keeps a namespace alive after {@code ip netns delete}, and with it the veth whose host end
     * would stop the node from joining again ("File exists").
     */
    private static void deleteNamespace(String ns) throws IOException, InterruptedException {
        HostCommand.Result pids = new HostCommand("").run(List.of("ip", "netns", "pids", ns), "");
        if (pids.succeeded()) {
            for (String pid : pids.output().strip().split("\\s+")) {
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(process -> {
                        String command = process.info().command().orElse("?"); // gone with the process
                        process.destroyForcibly();
                        process.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                                .exceptionally(e -> process).join();
                        LOG.atWarn().addKeyValue("namespace", ns).addKeyValue("pid", process.pid())
                                .addKeyValue("command", command).log("killed a process left in the node's namespace");
                    });
                }
            }
        }
        run(new HostCommand(""), List.of("ip", "netns", "delete", ns));
    }

    private List<String> leftoverNamespaces() throws IOException {
        if (!Files.isDirectory(NETNS_DIR)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(NETNS_DIR)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.matches(Pattern.quote(tag) + "-node-[0-9]+")).sorted()
                    .toList();
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        argv.addAll(List.of(args));
        run(new HostCommand(""), argv);
    }

    /** Runs {@code argv}; a route or namespace that is not there (any more) is no error. */
    private static void runUnlessGone(HostCommand where, List<String> argv) throws IOException, InterruptedException {
        HostCommand.Result result = where.run(argv, "");
        if (!result.succeeded() && !result.output().contains("No such process")
                && !result.output().contains("No such file or directory")) {
            throw new IOException(String.join(" ", argv)
                    + (where.networkNamespace().isEmpty() ? "" : " (in " + where.networkNamespace() + ")")
                    + " failed with " + result.exitCode() + ": " + result.output());
        }
    }

    private static void run(HostCommand where, List<String> argv) throws IOException, InterruptedException {
        run(where, argv, "");
    }

    /** Runs {@code argv} with {@code input} on its standard input; a failure names the command, input included. */
    private static void run(HostCommand where, List<String> argv, String input)
            throws IOException, InterruptedException {
        HostCommand.Result result = where.run(argv, input);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", argv)
                    + (where.networkNamespace().isEmpty() ? "" : " (in " + where.networkNamespace() + ")")
                    + " failed with " + result.exitCode() + ": " + result.output()
                    + (input.isEmpty() ? "" : "\ninput:\n" + input));
        }
    }
}
