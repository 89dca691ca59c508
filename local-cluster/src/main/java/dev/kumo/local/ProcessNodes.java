package dev.kumo.local;

import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.RuntimeConfig;
import dev.kumo.node.main.HostFacts;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local cluster's nodes on a machine that cannot run cri ones: node agents in this JVM with the {@code process}
 * runtime (containers' commands as plain processes of this host; see {@link dev.kumo.node.process.ProcessRuntime}
 * for what that cannot do). They share this host's network: every node's address, and every pod's IP, is
 * {@value #ADDRESS}; no service proxy or cluster DNS runs (both need root).
 */
final class ProcessNodes implements AutoCloseable {
    static final String ADDRESS = "127.0.0.1";
    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
    private static final int POD_WORKERS = 16;

    private final Map<String, NodeAgent> agents = new LinkedHashMap<>();

    private ProcessNodes() {
    }

    static ProcessNodes start(ApiEndpoint api, String bootstrapToken, int count, String prefix, Path home)
            throws Exception {
        ProcessNodes nodes = new ProcessNodes();
        try {
            Path dir = Files.createDirectories(home.resolve("nodes"));
            NodeCapacity capacity = HostFacts.capacity(dir);
            String osImage = HostFacts.osImage();
            Clock clock = Clock.systemUTC();
            for (int i = 1; i <= count; i++) {
                String name = prefix + i;
                RuntimeConfig.Process runtime = new RuntimeConfig.Process(dir.resolve(name).resolve("agent"));
                NodeConfig config = NodeConfig.of(name, ADDRESS, "10.244." + (i - 1) + ".0/24", capacity);
                NodeAgent agent = new NodeAgent(api, bootstrapToken, config, runtime.factory(config, clock),
                        HostNodeInfo.systemInfo(name, runtime.runtimeVersion(), osImage), clock, POD_WORKERS)
                        // a free loopback port each: the stats summary through nodes/{name}/proxy
                        .serveKubeletApi(new InetSocketAddress(ADDRESS, 0), runtime.stateDir());
                nodes.agents.put(name, agent);
                agent.start(JOIN_TIMEOUT);
            }
            return nodes;
        } catch (Exception e) {
            nodes.close();
            throw e;
        }
    }

    /** Silences one node's agent; its processes stop with it (they are its children). */
    void stop(String name) {
        NodeAgent agent = agents.get(name);
        if (agent == null) {
            throw new IllegalArgumentException("no node " + name);
        }
        agent.close();
    }

    /** Stops the agents, and with them every container process. */
    @Override
    public void close() {
        agents.values().forEach(NodeAgent::close);
    }
}
