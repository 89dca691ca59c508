package dev.kumo.local.instances;

import dev.kumo.cloud.local.LocalInstanceRecord;
import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.simulated.SimulatedNodes;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Local instances as simulated node agents in the cluster's JVM (as {@code ./kumo up}'s static nodes): each joins
 * with the cluster's bootstrap token, with its instance type's capacity, the address and pod CIDR its record holds,
 * and the labels and taints its pool asked for. No container runs; pods are reported Running at once.
 */
public final class InJvmAgentLauncher implements AgentLauncher {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    private static final int POD_WORKERS = 4;

    private final ApiEndpoint api;
    private final Supplier<String> bootstrapToken;
    private final Clock clock;
    private final Map<String, NodeAgent> agents = new ConcurrentHashMap<>();

    /** @param bootstrapToken the token agents join with, asked for at each start (it may be made on first use) */
    public InJvmAgentLauncher(ApiEndpoint api, Supplier<String> bootstrapToken, Clock clock) {
        this.api = api;
        this.bootstrapToken = bootstrapToken;
        this.clock = clock;
    }

    @Override
    public void start(LocalInstanceRecord instance) throws InterruptedException {
        NodeAgent agent = SimulatedNodes.agent(api, bootstrapToken.get(), InstanceNodeConfig.of(instance), clock,
                POD_WORKERS);
        if (agents.putIfAbsent(instance.name(), agent) != null) {
            return; // started already
        }
        try {
            agent.start(JOIN_TIMEOUT);
        } catch (RuntimeException | InterruptedException e) {
            agents.remove(instance.name(), agent);
            agent.close();
            throw e;
        }
    }

    @Override
    public void stop(String name) {
        NodeAgent agent = agents.remove(name);
        if (agent != null) {
            agent.close();
        }
    }

    @Override
    public void close() {
        List<String> names = new ArrayList<>(agents.keySet());
        names.forEach(this::stop);
    }
}
