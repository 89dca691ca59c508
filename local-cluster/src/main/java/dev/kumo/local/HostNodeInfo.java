package dev.kumo.local;

import dev.kumo.node.NodeSystemInfo;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Per-node identity for the local cluster's real nodes (cri, process), which share this host; its capacity and OS image
 * come from {@link dev.kumo.node.main.HostFacts}, as a node agent's do.
 */
final class HostNodeInfo {
    private HostNodeInfo() {
    }

    /** Stable identifiers per node name (as a machine's are), a boot id per start, this host's kernel. */
    static NodeSystemInfo systemInfo(String name, String runtimeVersion, String osImage) {
        UUID machine = UUID.nameUUIDFromBytes(("kumo-local-node/" + name).getBytes(StandardCharsets.UTF_8));
        return new NodeSystemInfo(machine.toString().replace("-", ""), machine.toString(),
                UUID.randomUUID().toString(), System.getProperty("os.version", ""), osImage, runtimeVersion);
    }
}
