package dev.kumo.local.instances;

import dev.kumo.cloud.local.LocalInstanceRecord;

/**
 * Boots and stops the node agent of a local instance: the seam between the local provider's records and how an
 * agent runs. {@link InJvmAgentLauncher} runs it in the cluster's JVM with the simulated runtime; on a cluster whose
 * nodes are cri nodes, {@code dev.kumo.local.CriAgentLauncher} makes the instance a real node in a network namespace
 * of its own with its own containerd.
 */
public interface AgentLauncher extends AutoCloseable {
    /** Starts the instance's agent and returns once its node has joined (registered, leased, status posted). */
    void start(LocalInstanceRecord instance) throws Exception;

    /** Stops the agent of the instance named {@code name}; its Node stays, silent, as when a machine goes away. */
    void stop(String name);

    /** Stops every agent this launcher started. */
    @Override
    void close();
}
