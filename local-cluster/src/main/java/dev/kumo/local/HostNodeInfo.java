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
        String machine = systemUuid(name);
        return new NodeSystemInfo(machine.replace("-", ""), machine, UUID.randomUUID().toString(),
                System.getProperty("os.version", ""), osImage, runtimeVersion);
    }

    /** The node's system UUID, the same for the same name (its machine id is this without dashes). */
    static String systemUuid(String name) {
        return UUID.nameUUIDFromBytes(("kumo-local-node/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
