package dev.kumo.node.probes;

import java.time.Duration;
import java.util.List;

/**
 * Runs a command in a running container to its end, as the CRI's {@code ExecSync} does: for exec probes and exec
 * lifecycle hooks. Each runtime that runs containers has its own.
 */
public interface ContainerExec {

    /** How the command ended: its exit code and its output (stdout, then stderr), or that it ran out of time. */
    record Result(int exitCode, String output, boolean timedOut) {
    }

    /**
     * Runs {@code command} in the container {@code containerId} (as the pod status shows it, with its
     * {@code <runtime>://} prefix) within {@code timeout} (zero for none).
     *
     * @throws Exception when the command could not be run at all (no such container, the runtime's refusal)
     */
    Result exec(String containerId, List<String> command, Duration timeout) throws Exception;
}
