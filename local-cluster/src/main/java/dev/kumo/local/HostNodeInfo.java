package dev.kumo.local;

import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeSystemInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** What the local cluster's real nodes (cri, process) report about the machine they share: this host. */
final class HostNodeInfo {
    private HostNodeInfo() {
    }

    /** Every node reports the host's CPUs and memory, as kind's nodes do: they share one machine. */
    static NodeCapacity capacity(Path dir) throws IOException {
        long memoryKi = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memoryKi = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        long storage = Files.getFileStore(dir).getTotalSpace();
        return NodeCapacity.of(Integer.toString(Runtime.getRuntime().availableProcessors()), memoryKi + "Ki",
                Long.toString(storage));
    }

    static String osImage() throws IOException {
        Path osRelease = Path.of("/etc/os-release");
        if (Files.exists(osRelease)) {
            for (String line : Files.readAllLines(osRelease)) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        }
        return "Linux";
    }

    /** Stable identifiers per node name (as a machine's are), a boot id per start, this host's kernel. */
    static NodeSystemInfo systemInfo(String name, String runtimeVersion, String osImage) {
        UUID machine = UUID.nameUUIDFromBytes(("kumo-local-node/" + name).getBytes(StandardCharsets.UTF_8));
        return new NodeSystemInfo(machine.toString().replace("-", ""), machine.toString(),
                UUID.randomUUID().toString(), System.getProperty("os.version", ""), osImage, runtimeVersion);
    }
}
