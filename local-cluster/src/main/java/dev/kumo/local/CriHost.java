package dev.kumo.local;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.node.cri.ContainerdLauncher;
import dev.kumo.node.dns.ResolvConf;
import dev.kumo.node.image.BusyboxImages;
import dev.kumo.node.main.HostFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * This machine as the host of the local cluster's cri nodes, whether static ({@link CriNodes}) or node pools'
 * instances ({@link CriAgentLauncher}): the node network, claimed and made without nodes (after removing what a
 * killed cluster left: containerds and shims under {@code <home>/nodes}, namespaces, the bridge); the Service
 * {@code kube-system/kube-dns} whose endpoints are the nodes' own DNS servers ({@link KubeDnsService}); the offline
 * images archive each node's containerd imports; and {@code <home>/nodes/sockets}, the nodes' containerd sockets for
 * {@code ./kumo image load}; and the API as the nodes reach it, served on the bridge's host address ({@link NodeApi})
 * since each node's agent runs in the node's namespace. Each node is a {@link CriNode} started here. {@link #close}
 * removes the network, after the nodes were closed.
 */
final class CriHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CriHost.class);
    /** {@code <home>/nodes/sockets}: "node socket" per line, for {@code ./kumo image load}. */
    static final String SOCKETS_FILE = "sockets";

    /** Where systemd-resolved keeps the servers it forwards to, when /etc/resolv.conf names only itself. */
    private static final Path RESOLVED_UPSTREAMS = Path.of("/run/systemd/resolve/resolv.conf");

    /** Serves the API on {@code hostAddress} (the node network's side of the host) and returns its URL. */
    interface NodeApi {
        URI serve(String hostAddress) throws IOException;
    }

    private final NodeApi nodeApi;
    private final Path caFile;
    private final Path dir;
    private final NodeNetwork network;
    private final Map<String, Path> sockets = new TreeMap<>();
    private Path imageArchive;
    private String osImage;
    private KubeDnsService kubeDns;
    private URI nodeServer;
    private Path upstreamResolvConf;
    private boolean claimed;

    private CriHost(NodeApi nodeApi, Path caFile, Path dir, NodeNetwork network) {
        this.nodeApi = nodeApi;
        this.caFile = caFile;
        this.dir = dir;
        this.network = network;
    }

    /**
     * Claims and makes {@code network} for the cluster in {@code home}, serves the API to it through
     * {@code nodeApi} (whose certificate {@code caFile} signs), and sets up kube-dns through {@code admin}.
     */
    static CriHost start(NodeApi nodeApi, Path caFile, KubeClient admin, Path home, NodeNetwork network,
                         Consumer<String> progress) throws Exception {
        CriHost host = new CriHost(nodeApi, caFile, home.resolve("nodes"), network);
        try {
            host.startAll(admin, progress);
            return host;
        } catch (Exception e) {
            host.close();
            throw e;
        }
    }

    private void startAll(KubeClient admin, Consumer<String> progress) throws Exception {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(SOCKETS_FILE));
        network.claim(dir.getParent());
        claimed = true;
        removeLeftovers(progress);
        network.create();
        progress.accept("node network: bridge " + network.bridge() + " " + network.hostAddress() + "/24; node i in"
                + " network namespace " + network.namespace(1).replaceAll("1$", "i") + " at " + network.nodeNet()
                + ".(i+1), pod CIDR " + network.podNet() + ".(i-1).0/24, routed (static nodes from 1, node pools'"
                + " instances from 129)");
        nodeServer = nodeApi.serve(network.hostAddress());
        progress.accept("API for the nodes' agents: " + nodeServer + " (each agent is a process in its node's"
                + " namespace)");
        upstreamResolvConf = upstreamResolvConf(ResolvConf.HOST_PATH, RESOLVED_UPSTREAMS, progress);
        kubeDns = KubeDnsService.ensure(admin);
        progress.accept("cluster DNS: each node's agent serves its pods at the node's address, port 53; "
                + KubeDnsService.NAMESPACE + "/" + KubeDnsService.SERVICE + " " + KubeDnsService.CLUSTER_DNS_IP
                + " reaches them all");
        imageArchive = dir.resolve("busybox-images.tar");
        BusyboxImages.write(BusyboxImages.DEBIAN_BUSYBOX, imageArchive);
        osImage = HostFacts.osImage();
    }

    /** Agents, containerds and shims of a cluster that was killed, then its namespaces and bridge. */
    private void removeLeftovers(Consumer<String> progress) throws IOException, InterruptedException {
        int agents = 0;
        int killed = 0;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> nodeDirs = Files.list(dir)) {
                for (Path nodeDir : nodeDirs.filter(Files::isDirectory).toList()) {
                    agents += AgentProcess.killLeftover(nodeDir);
                    killed += ContainerdLauncher.killLeftovers(nodeDir.resolve("containerd"));
                }
            }
        }
        List<String> removed = network.remove();
        if (agents > 0 || killed > 0 || !removed.isEmpty()) {
            progress.accept("removed what an earlier run left: " + agents + " node agents, " + killed
                    + " containerd processes, " + String.join(", ", removed));
        }
    }

    /**
     * The resolv.conf whose servers the nodes' DNS forwards other names to. The agents run in the nodes'
     * namespaces, where the host's loopback is out of reach: a host whose /etc/resolv.conf names only a local
     * stub (systemd-resolved's 127.0.0.53) lends its upstreams from systemd-resolved's own file, as the kubelet is
     * told to on such hosts.
     */
    static Path upstreamResolvConf(Path host, Path resolvedUpstreams, Consumer<String> progress) {
        List<String> servers = ResolvConf.read(host).nameservers();
        boolean onlyLoopback = !servers.isEmpty() && servers.stream().allMatch(CriHost::isLoopback);
        if (!onlyLoopback) {
            return host;
        }
        if (Files.isReadable(resolvedUpstreams)) {
            progress.accept("names outside the cluster: " + host + " names only " + servers
                    + ", so the nodes forward to the servers of " + resolvedUpstreams);
            return resolvedUpstreams;
        }
        progress.accept("warning: " + host + " names only " + servers + " (this host's loopback, out of the"
                + " nodes' reach): pods will not resolve names outside the cluster");
        return host;
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1");
    }

    /** The API's URL on the node network, for the nodes' agents. */
    URI nodeServer() {
        return nodeServer;
    }

    /** The CA that signs the API's certificate. */
    Path caFile() {
        return caFile;
    }

    Path upstreamResolvConf() {
        return upstreamResolvConf;
    }

    NodeNetwork network() {
        return network;
    }

    /** {@code <home>/nodes}, where the nodes keep their state. */
    Path directory() {
        return dir;
    }

    /** Where node {@code name} keeps its containerd and agent state. */
    Path nodeDirectory(String name) {
        return dir.resolve(name);
    }

    /** The offline busybox and pause images, which each node's containerd imports at start. */
    Path imageArchive() {
        return imageArchive;
    }

    String osImage() {
        return osImage;
    }

    /** Where each node publishes its DNS server. */
    KubeDnsService kubeDns() {
        return kubeDns;
    }

    /** Lists the nodes' containerd sockets for {@code ./kumo image load}. */
    synchronized void listSockets(List<CriNode> nodes) throws IOException {
        nodes.forEach(node -> sockets.put(node.name(), node.containerd().socket()));
        writeSockets();
    }

    /** Takes a node that stopped off the list of sockets. */
    synchronized void unlistSocket(String node) throws IOException {
        if (sockets.remove(node) != null) {
            writeSockets();
        }
    }

    private void writeSockets() throws IOException {
        StringBuilder lines = new StringBuilder();
        sockets.forEach((name, socket) -> lines.append(name).append(' ').append(socket).append('\n'));
        Path partial = dir.resolve(SOCKETS_FILE + ".partial");
        Files.writeString(partial, lines, StandardCharsets.UTF_8);
        Files.move(partial, dir.resolve(SOCKETS_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(dir.resolve(SOCKETS_FILE));
        } catch (IOException e) {
            LOG.atWarn().setCause(e).addKeyValue("file", dir.resolve(SOCKETS_FILE))
                    .log("could not remove the sockets list");
        }
        if (!claimed) {
            return; // another cluster's network: not ours to remove
        }
        try {
            network.remove();
            network.release();
        } catch (IOException e) {
            LOG.atError().setCause(e).addKeyValue("bridge", network.bridge()).log("could not remove the node network");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
