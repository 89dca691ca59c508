package dev.kumo.node.simulated;

import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.NodeSystemInfo;
import dev.kumo.node.network.Ipv4Cidr;
import dev.kumo.node.network.PodIpAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Many simulated nodes in one JVM, for end-to-end tests and scale tests: node {@code i} (from 1) is named
 * {@code <prefix><i>}, has the {@code i}-th address of the address CIDR as its InternalIP and the {@code (i-1)}-th
 * subnet of the cluster CIDR as its pod CIDR, and runs the {@link SimulatedRuntime}. They share one HTTP client.
 * {@link #start} returns once every node has joined (Node registered, Lease created, status posted); each node can
 * be stopped on its own, which silences its heartbeats.
 */
public final class SimulatedNodes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedNodes.class);

    /**
     * How the nodes are made. {@code clusterCidr} is cut into {@code /nodeCidrPrefixLength} pod CIDRs (the default
     * 10.244.0.0/16 into /24s: 256 nodes; give a larger one for more); {@code addressCidr} gives node addresses;
     * {@code joinParallelism} bounds how many nodes join at once.
     */
    public record Options(int count, String namePrefix, NodeCapacity capacity, String clusterCidr,
                          int nodeCidrPrefixLength, String addressCidr, int joinParallelism, int podWorkers,
                          Duration joinTimeout) {
        public static Options of(int count, String namePrefix, NodeCapacity capacity) {
            return new Options(count, namePrefix, capacity, "10.244.0.0/16", 24, "172.30.0.0/16", 16, 4,
                    Duration.ofSeconds(60));
        }
    }

    private final Map<String, NodeAgent> nodes;

    private SimulatedNodes(Map<String, NodeAgent> nodes) {
        this.nodes = nodes;
    }

    /**
     * Starts {@code options.count()} nodes against the API {@code api}, joining with {@code bootstrapToken}
     * ({@code <id>.<secret>}, a {@code bootstrap.kubernetes.io/token} Secret).
     */
    public static SimulatedNodes start(ApiEndpoint api, String bootstrapToken, Options options, Clock clock)
            throws InterruptedException {
        Ipv4Cidr clusterCidr = Ipv4Cidr.parse(options.clusterCidr());
        Ipv4Cidr addresses = Ipv4Cidr.parse(options.addressCidr());
        Map<String, NodeAgent> agents = new LinkedHashMap<>();
        for (int i = 1; i <= options.count(); i++) {
            String name = options.namePrefix() + i;
            NodeConfig config = NodeConfig.of(name, Ipv4Cidr.format(addresses.address(i)),
                    clusterCidr.subnet(options.nodeCidrPrefixLength(), i - 1).toString(), options.capacity());
            agents.put(name, agent(api, bootstrapToken, config, clock, options.podWorkers()));
        }
        SimulatedNodes started = new SimulatedNodes(Collections.synchronizedMap(agents));
        long begin = System.nanoTime();
        Semaphore joining = new Semaphore(options.joinParallelism());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> joins = new ArrayList<>();
            for (NodeAgent agent : agents.values()) {
                joins.add(executor.submit(() -> {
                    joining.acquire();
                    try {
                        agent.start(options.joinTimeout());
                    } finally {
                        joining.release();
                    }
                    return null;
                }));
            }
            for (Future<?> join : joins) {
                join.get();
            }
        } catch (ExecutionException e) {
            started.close();
            throw new IllegalStateException("a simulated node failed to join: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            started.close();
            throw e;
        }
        LOG.atInfo().addKeyValue("nodes", options.count()).addKeyValue("prefix", options.namePrefix())
                .addKeyValue("millis", (System.nanoTime() - begin) / 1_000_000).log("simulated nodes joined");
        return started;
    }

    /**
     * One simulated node agent, not started: the local cluster's pool instances are made one at a time this way
     * ({@link NodeAgent#start} joins it, {@link NodeAgent#close} silences it).
     */
    public static NodeAgent agent(ApiEndpoint api, String bootstrapToken, NodeConfig config, Clock clock,
                                  int podWorkers) {
        return new NodeAgent(api, bootstrapToken, config,
                podCidr -> new SimulatedRuntime(new PodIpAllocator(Ipv4Cidr.parse(podCidr)), clock),
                NodeSystemInfo.simulated(config.name(), SimulatedRuntime.VERSION), clock, podWorkers);
    }

    /** The node names, in order. */
    public List<String> names() {
        synchronized (nodes) {
            return List.copyOf(nodes.keySet());
        }
    }

    public NodeAgent node(String name) {
        NodeAgent agent = nodes.get(name);
        if (agent == null) {
            throw new IllegalArgumentException("no simulated node " + name);
        }
        return agent;
    }

    /** Stops one node: it goes silent (no lease renewals, no status, no pod sync); its Node and pods stay. */
    public void stop(String name) {
        node(name).close();
    }

    @Override
    public void close() {
        List<NodeAgent> agents;
        synchronized (nodes) {
            agents = new ArrayList<>(nodes.values());
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            agents.forEach(agent -> executor.submit(agent::close));
        }
    }
}
