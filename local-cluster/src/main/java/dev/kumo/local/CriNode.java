package dev.kumo.local;

import dev.kumo.node.NodeConfig;
import dev.kumo.node.cri.ContainerdLauncher;
import dev.kumo.node.image.BusyboxImages;
import dev.kumo.node.image.ImageImporter;
import dev.kumo.node.main.AgentSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One real node of the local cluster, on its {@link CriHost}: in the network namespace of node {@code number} of the
 * node network (which the caller joined to it), a containerd of its own (state under {@code <home>/nodes/<name>},
 * the offline busybox and pause images imported) and the node agent as a process of its own in that namespace
 * ({@link AgentProcess}), as on a machine: it serves its kubelet endpoint (logs, exec, port-forward, stats) on the
 * node's address, port 10250, where the API server calls it, and cluster DNS on port 53, which the node's pods have
 * as their nameserver (the kubelet's {@code --cluster-dns}, one server per node as on EC2); its service proxy
 * programs nftables in the namespace (NodePorts on the node's address); and it reaches the API at the host's bridge
 * address. The node's DNS server is among {@code kube-system/kube-dns}'s endpoints ({@link KubeDnsService}) while
 * the node runs.
 */
final class CriNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CriNode.class);
    /** The pod bridge inside each node's namespace. */
    static final String POD_BRIDGE = "kumo-pods";
    /** A JVM's start, containerd's first answers, the CSR for the kubelet endpoint's certificate. */
    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
    private static final int DNS_PORT = 53;

    private final String name;
    private final int number;
    private final ContainerdLauncher containerd;
    private final AgentProcess agent;
    private final KubeDnsService kubeDns;

    private CriNode(String name, int number, ContainerdLauncher containerd, AgentProcess agent,
                    KubeDnsService kubeDns) {
        this.name = name;
        this.number = number;
        this.containerd = containerd;
        this.agent = agent;
        this.kubeDns = kubeDns;
    }

    /**
     * Starts node {@code number} as {@code config} says (its address and pod CIDR those of that number) and returns
     * once its agent has joined through {@code bootstrapToken}.
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
            AgentProcess agent = AgentProcess.start(config.name(), nodeDir, netns,
                    settings(host, config, containerd, nodeDir), bootstrapToken, JOIN_TIMEOUT);
            KubeDnsService kubeDns = host.kubeDns();
            try {
                kubeDns.publish(config.name(), new InetSocketAddress(config.address(), DNS_PORT));
            } catch (RuntimeException e) {
                agent.stop();
                throw e;
            }
            return new CriNode(config.name(), number, containerd, agent, kubeDns);
        } catch (Exception e) {
            containerd.close();
            throw e;
        }
    }

    /** What the node's agent is told: as a machine's user data would tell it, with this host's paths. */
    static AgentSettings settings(CriHost host, NodeConfig config, ContainerdLauncher containerd, Path nodeDir) {
        return new AgentSettings(host.nodeServer(), host.caFile(), nodeDir.resolve("bootstrap-token"), config.name(),
                config.address(), config.podCidr(), host.network().clusterCidr(), containerd.socket(),
                containerd.cniConfDir(), nodeDir.resolve("agent"), true, POD_BRIDGE,
                new AgentSettings.Registration(config.labels(), config.taints(), config.capacity(),
                        HostNodeInfo.systemUuid(config.name())),
                host.upstreamResolvConf(), AgentProcess.readyFile(nodeDir));
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

    /** The agent's process. */
    AgentProcess agent() {
        return agent;
    }

    /**
     * Silences the agent for good (its pods keep running in containerd, as on a machine whose kubelet died); its DNS
     * server stops with it, so it leaves kube-dns's endpoints first.
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
        agent.stop();
    }

    /** Stops the agent, then containerd (which removes the pod sandboxes); the namespace is the caller's. */
    @Override
    public void close() {
        stopAgent();
        containerd.close();
    }
}
