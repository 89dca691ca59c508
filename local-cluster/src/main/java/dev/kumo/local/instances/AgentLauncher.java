package dev.kumo.local.instances;

import dev.kumo.cloud.local.LocalInstanceRecord;

/**
 * Boots and stops the node agent of a local instance: the seam between the local provider's records and how an
 * agent runs. {@link InJvmAgentLauncher} runs it in the cluster's JVM with the simulated runtime; an agent in a
 * child process inside its own network namespace (issue 4's real nodes) is another implementation of this.
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
