package dev.kumo.node.main;

import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.RuntimeConfig;
import dev.kumo.node.dns.DnsSettings;
import dev.kumo.node.dns.ResolvConf;
import dev.kumo.node.proxy.ProxyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The node agent of one real machine, as systemd runs it ({@code node-agent/src/main/dist/kumo-node-agent.service}):
 * {@code java -jar node-agent.jar [SETTINGS_FILE]}. Joins with the bootstrap token of its settings, runs pods in
 * the machine's containerd, serves cluster DNS on the node's address and programs the Service rules; stops
 * cleanly on SIGTERM.
 */
public final class AgentMain {
    /** The kubelet's port, which the nodes' security group opens to the VPC only. */
    static final int KUBELET_PORT = 10250;
    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);
    /** How long the agent keeps trying to join before it exits (and systemd restarts it). */
    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(10);
    private static final int POD_WORKERS = 16;

    private AgentMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 ? Path.of(args[0]) : AgentSettings.DEFAULT_FILE;
        AgentSettings settings = AgentSettings.read(file);
        Files.createDirectories(settings.stateDir());
        String token = Files.readString(settings.bootstrapTokenFile(), StandardCharsets.US_ASCII).strip();
        String ca = settings.caFile() == null ? null : Files.readString(settings.caFile(), StandardCharsets.US_ASCII);

        RuntimeConfig runtime = runtime(settings);
        NodeConfig node = node(settings);
        Clock clock = Clock.systemUTC();
        NodeAgent agent = new NodeAgent(ApiEndpoint.of(settings.server(), ca), token, node,
                runtime.factory(node, clock),
                HostFacts.systemInfo(runtime.runtimeVersion(), settings.registration().systemUuid()), clock,
                POD_WORKERS)
                .withServiceProxy(ProxyConfig.of(settings.nodeName(), List.of(settings.address()),
                        settings.clusterCidr(), ""))
                // the kubelet's port: logs, exec, port-forward and stats, proxied by the API server
                .serveKubeletApi(new InetSocketAddress(settings.address(), KUBELET_PORT), settings.stateDir());
        if (settings.clusterDns()) {
            agent.serveClusterDns(DnsSettings.of(new InetSocketAddress(settings.address(), 53))
                    .withUpstreams(DnsSettings.upstreamsOf(ResolvConf.read(settings.resolvConf()))));
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.atInfo().addKeyValue("node", settings.nodeName()).log("stopping the node agent");
            agent.close();
            stopped.countDown();
        }, "node-agent-shutdown"));
        LOG.atInfo().addKeyValue("node", settings.nodeName()).addKeyValue("server", settings.server())
                .addKeyValue("podCIDR", settings.podCidr()).log("joining the cluster");
        agent.start(JOIN_TIMEOUT);
        LOG.atInfo().addKeyValue("node", settings.nodeName()).log("node agent running");
        if (settings.readyFile() != null) {
            Files.writeString(settings.readyFile(), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        }
        stopped.await();
    }

    /** The Node as the machine and the settings describe it: the host's resources unless the settings name others. */
    static NodeConfig node(AgentSettings settings) throws java.io.IOException {
        AgentSettings.Registration registration = settings.registration();
        NodeCapacity capacity = registration.capacity() != null ? registration.capacity()
                : HostFacts.capacity(settings.stateDir());
        return new NodeConfig(settings.nodeName(), settings.address(), settings.podCidr(), capacity, capacity,
                "linux", NodeConfig.hostArchitecture(), registration.labels(), registration.taints());
    }

    /**
     * containerd with pods that resolve through this node's own DNS server (the kubelet's {@code --cluster-dns}, one
     * server per node) and keep their addresses towards other pods: the VPC routes every pod CIDR (the route
     * controller), and the service proxy masquerades only what leaves the private ranges.
     */
    static RuntimeConfig.Cri runtime(AgentSettings settings) {
        return new RuntimeConfig.Cri(settings.criSocket(), settings.cniConfDir(), settings.stateDir(),
                settings.podBridge(),
                settings.clusterDns() ? settings.address() : "", false);
    }
}
