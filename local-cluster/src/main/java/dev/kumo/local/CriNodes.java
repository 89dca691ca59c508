package dev.kumo.local;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.kubelet.KubeletApi;
import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.RuntimeConfig;
import dev.kumo.node.cri.ContainerdLauncher;
import dev.kumo.node.image.BusyboxImages;
import dev.kumo.node.image.ImageImporter;
import dev.kumo.node.main.HostFacts;
import dev.kumo.node.proxy.ProxyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The local cluster's real nodes: for node i, network namespace {@link NodeNetwork#namespace} with its own address
 * and pod CIDR, a containerd of its own running in that namespace (state under {@code <home>/nodes/<name>}, the
 * offline busybox and pause images imported), and a node agent with the cri runtime whose service proxy programs
 * nftables in that namespace (NodePorts on the node's address). Pods resolve names through {@link ClusterDnsAddon}.
 * Each agent serves its kubelet endpoint (logs, exec, port-forward) on the host's bridge address, and the node's
 * namespace forwards port 10250 of the node's address to it ({@link NodeNetwork#forwardToHost}).
 *
 * <p>The agents are threads of this JVM: what they do on the node happens in its namespace (containerd, CNI, nft),
 * while their own connections to the API leave from the host's loopback, where the API listens. {@link #close}
 * removes the sandboxes, stops each containerd and removes the network; {@link #start} first removes whatever a
 * cluster that was killed left behind (containerds and shims, sandboxes, namespaces, the bridge).
 */
final class CriNodes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CriNodes.class);
    /** The pod bridge inside each node's namespace. */
    static final String POD_BRIDGE = "kumo-pods";
    /** {@code <home>/nodes/sockets}: "node socket" per line, for {@code ./kumo image load}. */
    static final String SOCKETS_FILE = "sockets";
    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
    private static final int POD_WORKERS = 16;

    private record Node(String name, String netns, ContainerdLauncher containerd, NodeAgent agent) {
    }

    private final Path dir;
    private final NodeNetwork network;
    private final List<Node> nodes = new ArrayList<>();
    private ClusterDnsAddon dns;
    private boolean claimed;

    private CriNodes(Path dir, NodeNetwork network) {
        this.dir = dir;
        this.network = network;
    }

    /** Starts {@code count} real nodes named {@code <prefix>1..count}, joined through {@code bootstrapToken}. */
    static CriNodes start(ApiEndpoint api, KubeClient admin, String bootstrapToken, int count, String prefix,
                          Path home, NodeNetwork network, Consumer<String> progress) throws Exception {
        Path dir = home.resolve("nodes");
        CriNodes nodes = new CriNodes(dir, network);
        try {
            nodes.startAll(api, admin, bootstrapToken, count, prefix, progress);
            return nodes;
        } catch (Exception e) {
            nodes.close();
            throw e;
        }
    }

    private void startAll(ApiEndpoint api, KubeClient admin, String bootstrapToken, int count, String prefix,
                          Consumer<String> progress) throws Exception {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(SOCKETS_FILE));
        network.claim(dir.getParent());
        claimed = true;
        removeLeftovers(progress);
        network.create(count);
        progress.accept("node network: bridge " + network.bridge() + " " + network.hostAddress() + "/24; node i in"
                + " network namespace " + network.namespace(1).replaceAll("1$", "i") + " at " + network.nodeNet()
                + ".(i+1), pod CIDR " + network.podNet() + ".(i-1).0/24, routed");
        dns = ClusterDnsAddon.start(admin, network.hostAddress());
        progress.accept("cluster DNS: " + ClusterDnsAddon.NAMESPACE + "/" + ClusterDnsAddon.SERVICE + " "
                + ClusterDnsAddon.CLUSTER_DNS_IP + " served on " + network.hostAddress() + ":53");
        Path archive = dir.resolve("busybox-images.tar");
        BusyboxImages.write(BusyboxImages.DEBIAN_BUSYBOX, archive);
        NodeCapacity capacity = HostFacts.capacity(dir);
        String osImage = HostFacts.osImage();
        // nodes start side by side: containerd's start and the image import take seconds each
        try (ExecutorService starting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Node>> started = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                int index = i;
                started.add(starting.submit(() -> startNode(api, bootstrapToken, prefix + index, index, capacity,
                        osImage, archive)));
            }
            ExecutionException failure = null;
            for (Future<Node> node : started) {
                try {
                    Node up = node.get();
                    nodes.add(up);
                    progress.accept("node " + up.name() + " ready: containerd pid " + up.containerd().pid() + " in "
                            + up.netns() + ", images " + BusyboxImages.BUSYBOX + " and "
                            + BusyboxImages.PAUSE);
                } catch (ExecutionException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure.getCause() instanceof Exception cause ? cause : failure;
            }
        }
        writeSockets();
    }

    private Node startNode(ApiEndpoint api, String bootstrapToken, String name, int index, NodeCapacity capacity,
                           String osImage, Path archive) throws Exception {
        String netns = network.namespace(index);
        Path nodeDir = dir.resolve(name);
        ContainerdLauncher containerd = ContainerdLauncher.start(nodeDir.resolve("containerd"), BusyboxImages.PAUSE,
                netns, network.address(index));
        try {
            int removed = containerd.removeSandboxes();
            if (removed > 0) {
                LOG.atInfo().addKeyValue("node", name).addKeyValue("sandboxes", removed)
                        .log("removed pod sandboxes of an earlier run (their network is gone)");
            }
            ImageImporter.importArchive(containerd.socket(), archive);
            RuntimeConfig.Cri runtime = new RuntimeConfig.Cri(containerd.socket(), containerd.cniConfDir(),
                    nodeDir.resolve("agent"), POD_BRIDGE, ClusterDnsAddon.CLUSTER_DNS_IP, false);
            NodeConfig config = NodeConfig.of(name, network.address(index), network.podCidr(index), capacity);
            Clock clock = Clock.systemUTC();
            NodeAgent agent = new NodeAgent(api, bootstrapToken, config, runtime.factory(config, clock),
                    HostNodeInfo.systemInfo(name, runtime.runtimeVersion(), osImage), clock, POD_WORKERS)
                    .withServiceProxy(ProxyConfig.of(name, List.of(network.address(index)), network.clusterCidr(),
                            netns))
                    // the agent listens in the host's namespace; the API calls the node's address
                    .serveKubeletApi(new InetSocketAddress(network.hostAddress(), 0), runtime.stateDir(),
                            bound -> forwardKubeletPort(index, bound));
            try {
                agent.start(JOIN_TIMEOUT);
            } catch (InterruptedException | RuntimeException e) {
                agent.close();
                throw e;
            }
            return new Node(name, netns, containerd, agent);
        } catch (Exception e) {
            containerd.close();
            throw e;
        }
    }

    /** {@link KubeletApi#DEFAULT_PORT} on node i's address reaches its agent's endpoint on the host. */
    private int forwardKubeletPort(int index, int bound) {
        try {
            network.forwardToHost(index, KubeletApi.DEFAULT_PORT, bound);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while forwarding node " + index + "'s kubelet port", e);
        }
        return KubeletApi.DEFAULT_PORT;
    }

    /** Containerds and shims of a cluster that was killed, then its namespaces and bridge. */
    private void removeLeftovers(Consumer<String> progress) throws IOException, InterruptedException {
        int killed = 0;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> nodeDirs = Files.list(dir)) {
                for (Path nodeDir : nodeDirs.filter(Files::isDirectory).toList()) {
                    killed += ContainerdLauncher.killLeftovers(nodeDir.resolve("containerd"));
                }
            }
        }
        List<String> removed = network.remove();
        if (killed > 0 || !removed.isEmpty()) {
            progress.accept("removed what an earlier run left: " + killed + " containerd processes, "
                    + String.join(", ", removed));
        }
    }

    private void writeSockets() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Node node : nodes) {
            lines.append(node.name()).append(' ').append(node.containerd().socket()).append('\n');
        }
        Path partial = dir.resolve(SOCKETS_FILE + ".partial");
        Files.writeString(partial, lines, StandardCharsets.UTF_8);
        Files.move(partial, dir.resolve(SOCKETS_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Silences one node's agent (its pods keep running in containerd, as on a machine whose kubelet died). */
    void stop(String name) {
        nodes.stream().filter(node -> node.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name)).agent().close();
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(dir.resolve(SOCKETS_FILE));
        } catch (IOException e) {
            LOG.atWarn().setCause(e).log("could not remove " + dir.resolve(SOCKETS_FILE));
        }
        for (Node node : nodes) {
            node.agent().close();
        }
        for (Node node : nodes) {
            node.containerd().close();
        }
        if (dns != null) {
            dns.close();
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
