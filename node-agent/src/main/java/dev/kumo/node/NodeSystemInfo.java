package dev.kumo.node;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@code status.nodeInfo} of a Node: the machine's identifiers and the versions of its software. {@code bootId}
 * changes with every start of the agent's machine (a simulated node's "machine" is the agent itself).
 */
public record NodeSystemInfo(String machineId, String systemUuid, String bootId, String kernelVersion,
                             String osImage, String containerRuntimeVersion) {
    /** The kubelet version nodes report: the Kubernetes version kumo's API serves. */
    public static final String KUBELET_VERSION = "v1.32.0-kumo";

    /**
     * A simulated node: identifiers derived from its name (stable across restarts, as a machine's are), a fresh
     * boot id, this JVM host's kernel, and an OS image that says what it is.
     */
    public static NodeSystemInfo simulated(String nodeName, String runtimeVersion) {
        UUID machine = UUID.nameUUIDFromBytes(("kumo-simulated-node/" + nodeName).getBytes(StandardCharsets.UTF_8));
        return new NodeSystemInfo(machine.toString().replace("-", ""), machine.toString(),
                UUID.randomUUID().toString(), System.getProperty("os.version", ""), "kumo simulated node",
                runtimeVersion);
    }
}
