package dev.kumo.local;

import dev.kumo.apimachinery.kubelet.KubeletApi;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.RuntimeConfig;
import dev.kumo.node.cri.ContainerdLauncher;
import dev.kumo.node.dns.DnsSettings;
import dev.kumo.node.image.BusyboxImages;
import dev.kumo.node.image.ImageImporter;
import dev.kumo.node.proxy.ProxyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * One real node of the local cluster, on its {@link CriHost}: in the network namespace of node {@code number} of the
 * node network (which the caller joined to it), a containerd of its own (state under {@code <home>/nodes/<name>},
 * the offline busybox and pause images imported) and a node agent with the cri runtime whose service proxy programs
 * nftables in that namespace (NodePorts on the node's address). The agent is a thread of this JVM: what it does on
 * the node happens in the namespace (containerd, CNI, nft), while its sockets live in the host's namespace. So it
 * serves its kubelet endpoint (logs, exec, port-forward) and cluster DNS on the host's bridge address, each on a free
 * port, and the namespace forwards TCP 10250 and UDP and TCP 53 of the node's address to them
 * ({@link NodeHostForwards}): the API server calls the node at its address, and the node's pods have that address as
 * their nameserver (the kubelet's {@code --cluster-dns}), as on EC2, where each agent serves DNS on its node's
 * address. The node's server is also among {@code kube-system/kube-dns}'s endpoints ({@link KubeDnsService}) while
 * the agent runs.
 */
final class CriNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CriNode.class);
    /** The pod bridge inside each node's namespace. */
    static final String POD_BRIDGE = "kumo-pods";
    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
    private static final int POD_WORKERS = 16;
    private static final int DNS_PORT = 53;

    private final String name;
    private final int number;
    private final ContainerdLauncher containerd;
    private final NodeAgent agent;
    private final KubeDnsService kubeDns;

    private CriNode(String name, int number, ContainerdLauncher containerd, NodeAgent agent, KubeDnsService kubeDns) {
        this.name = name;
        this.number = number;
        this.containerd = containerd;
        this.agent = agent;
        this.kubeDns = kubeDns;
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
                    nodeDir.resolve("agent"), POD_BRIDGE, network.address(number), false);
            Clock clock = Clock.systemUTC();
            InetAddress hostAddress = InetAddress.getByName(network.hostAddress());
            NodeHostForwards forwards = new NodeHostForwards(network, number);
            KubeDnsService kubeDns = host.kubeDns();
            // the agent listens in the host's namespace; the API and the node's pods call the node's address
            NodeAgent agent = new NodeAgent(host.api(), bootstrapToken, config, runtime.factory(config, clock),
                    HostNodeInfo.systemInfo(config.name(), runtime.runtimeVersion(), host.osImage()), clock,
                    POD_WORKERS)
                    .withServiceProxy(ProxyConfig.of(config.name(), List.of(network.address(number)),
                            network.clusterCidr(), netns))
                    .serveKubeletApi(new InetSocketAddress(hostAddress, 0), runtime.stateDir(), bound -> {
                        forwards.add(List.of(HostForward.tcp(KubeletApi.DEFAULT_PORT, bound)));
                        return KubeletApi.DEFAULT_PORT;
                    })
                    .serveClusterDns(DnsSettings.of(new InetSocketAddress(hostAddress, 0)), serving -> {
                        forwards.add(HostForward.udpAndTcp(DNS_PORT, serving.getPort()));
                        kubeDns.publish(config.name(), serving);
                    });
            try {
                agent.start(JOIN_TIMEOUT);
            } catch (InterruptedException | RuntimeException e) {
                agent.close();
                try {
                    kubeDns.withdraw(config.name());
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            return new CriNode(config.name(), number, containerd, agent, kubeDns);
        } catch (Exception e) {
            containerd.close();
            throw e;
        }
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

    /**
     * Silences the agent (its pods keep running in containerd, as on a machine whose kubelet died); its DNS server
     * stops with it, so it leaves kube-dns's endpoints first.
     */
    void stopAgent() {
        if (agent.running()) {
            try {
                kubeDns.withdraw(name);
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).addKeyValue("node", name)
                        .log("could not take the node's DNS server out of kube-dns's endpoints");
            }
        }
        agent.close();
    }

    /** Stops the agent, then containerd (which removes the pod sandboxes); the namespace is the caller's. */
    @Override
    public void close() {
        stopAgent();
        containerd.close();
    }
}
