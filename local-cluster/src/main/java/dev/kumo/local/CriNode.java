package dev.kumo.local;

import dev.kumo.apimachinery.kubelet.KubeletApi;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.RuntimeConfig;
import dev.kumo.node.cri.ContainerdLauncher;
import dev.kumo.node.image.BusyboxImages;
import dev.kumo.node.image.ImageImporter;
import dev.kumo.node.proxy.ProxyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * One real node of the local cluster, on its {@link CriHost}: in the network namespace of node {@code number} of the
 * node network (which the caller joined to it), a containerd of its own (state under {@code <home>/nodes/<name>},
 * the offline busybox and pause images imported) and a node agent with the cri runtime whose service proxy programs
 * nftables in that namespace (NodePorts on the node's address). The agent serves its kubelet endpoint (logs, exec,
 * port-forward) on the host's bridge address, and the namespace forwards port 10250 of the node's address to it
 * ({@link NodeNetwork#forwardToHost}). The agent is a thread of this JVM: what it does on the node happens in the
 * namespace (containerd, CNI, nft), while its own connections to the API leave from the host's loopback.
 */
final class CriNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CriNode.class);
    /** The pod bridge inside each node's namespace. */
    static final String POD_BRIDGE = "kumo-pods";
    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
    private static final int POD_WORKERS = 16;

    private final String name;
    private final int number;
    private final ContainerdLauncher containerd;
    private final NodeAgent agent;

    private CriNode(String name, int number, ContainerdLauncher containerd, NodeAgent agent) {
        this.name = name;
        this.number = number;
        this.containerd = containerd;
        this.agent = agent;
    }

    /**
     * Starts node {@code number} as {@code config} says (its address and pod CIDR those of that number) and returns
     * once it has joined through {@code bootstrapToken}.
     */
    static CriNode start(CriHost host, String bootstrapToken, int number, NodeConfig config) throws Exception {
        NodeNetwork network = host.network();
        String netns = network.namespace(number);
        Path nodeDir = host.nodeDirectory(config.name());
        ContainerdLauncher containerd = ContainerdLauncher.start(nodeDir.resolve("containerd"), BusyboxImages.PAUSE,
                netns, network.address(number));
        try {
            int removed = containerd.removeSandboxes();
            if (removed > 0) {
                LOG.atInfo().addKeyValue("node", config.name()).addKeyValue("sandboxes", removed)
                        .log("removed pod sandboxes of an earlier run (their network is gone)");
            }
            ImageImporter.importArchive(containerd.socket(), host.imageArchive());
            RuntimeConfig.Cri runtime = new RuntimeConfig.Cri(containerd.socket(), containerd.cniConfDir(),
                    nodeDir.resolve("agent"), POD_BRIDGE, ClusterDnsAddon.CLUSTER_DNS_IP, false);
            Clock clock = Clock.systemUTC();
            NodeAgent agent = new NodeAgent(host.api(), bootstrapToken, config, runtime.factory(config, clock),
                    HostNodeInfo.systemInfo(config.name(), runtime.runtimeVersion(), host.osImage()), clock,
                    POD_WORKERS)
                    .withServiceProxy(ProxyConfig.of(config.name(), List.of(network.address(number)),
                            network.clusterCidr(), netns))
                    // the agent listens in the host's namespace; the API calls the node's address
                    .serveKubeletApi(new InetSocketAddress(network.hostAddress(), 0), runtime.stateDir(),
                            bound -> forwardKubeletPort(network, number, bound));
            try {
                agent.start(JOIN_TIMEOUT);
            } catch (InterruptedException | RuntimeException e) {
                agent.close();
                throw e;
            }
            return new CriNode(config.name(), number, containerd, agent);
        } catch (Exception e) {
            containerd.close();
            throw e;
        }
    }

    /** {@link KubeletApi#DEFAULT_PORT} on the node's address reaches its agent's endpoint on the host. */
    private static int forwardKubeletPort(NodeNetwork network, int number, int bound) {
        try {
            network.forwardToHost(number, KubeletApi.DEFAULT_PORT, bound);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while forwarding node " + number + "'s kubelet port", e);
        }
        return KubeletApi.DEFAULT_PORT;
    }

    String name() {
        return name;
    }

    /** Its number on the node network. */
    int number() {
        return number;
    }

    ContainerdLauncher containerd() {
        return containerd;
    }

    /** Silences the agent (its pods keep running in containerd, as on a machine whose kubelet died). */
    void stopAgent() {
        agent.close();
    }

    /** Stops the agent, then containerd (which removes the pod sandboxes); the namespace is the caller's. */
    @Override
    public void close() {
        agent.close();
        containerd.close();
    }
}
