package dev.kumo.node.main;

import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeSystemInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a real machine reports about itself: its resources and {@code status.nodeInfo}, read as the kubelet reads them.
 * The local cluster's host-backed nodes read the same facts through here.
 */
public final class HostFacts {
    private HostFacts() {
    }

    /** Cores, memory ({@code MemTotal} of /proc/meminfo) and the size of the filesystem holding {@code stateDir}. */
    public static NodeCapacity capacity(Path stateDir) throws IOException {
        long memoryKi = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memoryKi = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        if (memoryKi == 0) {
            throw new IOException("/proc/meminfo has no MemTotal");
        }
        long storage = Files.getFileStore(stateDir).getTotalSpace();
        return NodeCapacity.of(Integer.toString(Runtime.getRuntime().availableProcessors()), memoryKi + "Ki",
                Long.toString(storage));
    }

    /**
     * Machine id, system UUID, boot id, kernel and OS image from the files the kubelet's cadvisor reads; with
     * {@code systemUuid} given, that UUID and the machine id made of it instead of the host's.
     */
    static NodeSystemInfo systemInfo(String runtimeVersion, String systemUuid) throws IOException {
        return new NodeSystemInfo(
                systemUuid != null ? systemUuid.replace("-", "") : firstLine(Path.of("/etc/machine-id")),
                systemUuid != null ? systemUuid : firstLine(Path.of("/sys/class/dmi/id/product_uuid")),
                firstLine(Path.of("/proc/sys/kernel/random/boot_id")),
                System.getProperty("os.version", ""),
                osImage(),
                runtimeVersion);
    }

    /** {@code PRETTY_NAME} of /etc/os-release, as the kubelet's {@code osImage}; "Linux" when the file is absent. */
    public static String osImage() throws IOException {
        Path osRelease = Path.of("/etc/os-release");
        return Files.exists(osRelease) ? osImage(Files.readAllLines(osRelease)) : "Linux";
    }

    static String osImage(List<String> osRelease) {
        for (String line : osRelease) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "").strip();
            }
        }
        return "Linux";
    }

    private static String firstLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || lines.getFirst().isBlank()) {
            throw new IOException(file + " is empty");
        }
        return lines.getFirst().strip();
    }
}
