package dev.kumo.node.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.probes.ContainerExec;
import dev.kumo.node.stats.PodStats;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What runs a node's pods: the seam between the agent's pod sync (which talks to the API) and a container runtime
 * (simulated today; containerd over CRI and plain processes later). Calls for one pod never overlap; calls for
 * different pods may. Every method is idempotent: the pod sync calls them again whenever it looks at a pod.
 */
public interface PodRuntime extends AutoCloseable {

    /** {@code status.nodeInfo.containerRuntimeVersion}: {@code <runtime>://<version>}. */
    String version();

    /** Whether the runtime can run pods now (the node's Ready condition). */
    RuntimeHealth health();

    /**
     * Brings the pod towards its spec (sandbox and network first, then the init containers in order, then the
     * containers) and reports where it stands. A pod the runtime has not seen (after an agent restart) is adopted
     * from what its status says, not started again.
     */
    RuntimePod sync(ObjectNode pod) throws Exception;

    /**
     * Stops the pod's containers (gracefully within {@code gracePeriod}) and reports their final states. The
     * sandbox and its IP stay until {@link #remove}, so that the final status still shows them.
     */
    RuntimePod kill(ObjectNode pod, Duration gracePeriod) throws Exception;

    /**
     * How often the agent looks at a running pod again although the API did not change it, so that what happens in
     * the runtime (a container that ends, a back-off that passes) reaches the pod's status; null for never (a
     * runtime in which nothing happens by itself).
     */
    default Duration resyncInterval() {
        return null;
    }

    /**
     * How commands run in this runtime's containers, for exec probes; empty for a runtime whose containers are ready
     * as soon as they run, without probes (the simulated one). A runtime that has it also has
     * {@link #killContainer}.
     */
    default Optional<ContainerExec> containerExec() {
        return Optional.empty();
    }

    /**
     * Kills one running container of the pod as the kubelet's {@code killContainer} does (a {@code Killing} event
     * with {@code message}, its preStop hook, then SIGTERM and SIGKILL after what is left of {@code gracePeriod});
     * the next {@link #sync} restarts it as the restart policy says. Called only for runtimes with
     * {@link #containerExec}, whose probes can fail.
     */
    default void killContainer(ObjectNode pod, String container, String message, Duration gracePeriod)
            throws Exception {
        throw new UnsupportedOperationException(version() + " runs no probes and kills no single container");
    }

    /** Removes what is left of the pod (containers, sandbox, IP). Nothing happens for an unknown uid. */
    void remove(String podUid) throws Exception;

    /**
     * Logs, exec and port-forward of the runtime's containers; empty for a runtime that runs none (the simulated
     * one), whose pods the kubelet endpoint then answers with 400.
     */
    default Optional<ContainerStreams> streams() {
        return Optional.empty();
    }

    /**
     * What the runtime's pods use now, for the summary API: each pod it holds, with its running containers' CPU
     * (cumulative, and a rate only where the runtime computes one itself) and memory as far as the runtime can
     * measure them (null: nothing measured), and the pod's own where the runtime measures the pod apart.
     */
    List<PodStats> stats() throws Exception;

    @Override
    void close();
}
