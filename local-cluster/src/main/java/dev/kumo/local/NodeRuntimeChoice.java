package dev.kumo.local;

import dev.kumo.node.cri.ContainerdLauncher;
import dev.kumo.node.image.BusyboxImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which runtime the local cluster's nodes get, and why: {@code cri} (containerd, each node in a network namespace of
 * its own) needs root and the host programs below; {@code process} (containers' commands as plain processes) and
 * {@code simulated} (no processes) need nothing. {@code auto} takes cri where it can, else process, and says what is
 * missing.
 *
 * @param runtime {@code cri}, {@code process} or {@code simulated}
 * @param reason  why, in words for the user
 */
public record NodeRuntimeChoice(String runtime, String reason) {
    public static final String CRI = "cri";
    public static final String SIMULATED = "simulated";
    public static final String PROCESS = "process";
    public static final String AUTO = "auto";
    /** Debian's busybox-static leaves this; a dynamically linked busybox would not run inside an image. */
    private static final Path BUSYBOX_STATIC_DOC = Path.of("/usr/share/doc/busybox-static");

    /**
     * Decides for {@code requested} ({@code auto}, {@code cri}, {@code process} or {@code simulated});
     * {@code cri} asked for where it cannot run is an error that names what is missing.
     */
    public static NodeRuntimeChoice decide(String requested) throws IOException {
        return switch (requested) {
            case SIMULATED -> new NodeRuntimeChoice(SIMULATED, "asked for");
            case PROCESS -> new NodeRuntimeChoice(PROCESS, "asked for");
            case CRI -> {
                List<String> missing = missingForCri();
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("--runtime cri needs " + String.join(", ", missing));
                }
                yield new NodeRuntimeChoice(CRI, "asked for");
            }
            case AUTO -> {
                List<String> missing = missingForCri();
                yield missing.isEmpty()
                        ? new NodeRuntimeChoice(CRI, "root, containerd, runc, the CNI plugins and busybox-static are"
                        + " here")
                        : new NodeRuntimeChoice(PROCESS, "cri needs " + String.join(", ", missing));
            }
            default -> throw new IllegalArgumentException("a node runtime is cri, process, simulated or auto, not '"
                    + requested + "'");
        };
    }

    /** What this host lacks for real nodes; empty when nothing. */
    public static List<String> missingForCri() throws IOException {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (network namespaces, containerd and runc need it)");
        }
        for (String[] program : new String[][] {{"containerd", "containerd"}, {"ctr", "containerd"},
                {"runc", "runc"}, {"ip", "iproute2"}, {"nsenter", "util-linux"}, {"nft", "nftables"}}) {
            if (!onPath(program[0])) {
                missing.add(program[0] + " (Debian: " + program[1] + ")");
            }
        }
        for (String plugin : List.of("bridge", "host-local", "loopback", "portmap")) {
            if (!Files.isExecutable(ContainerdLauncher.CNI_BIN_DIR.resolve(plugin))) {
                missing.add(ContainerdLauncher.CNI_BIN_DIR.resolve(plugin) + " (Debian: containernetworking-plugins)");
            }
        }
        if (!Files.isDirectory(BUSYBOX_STATIC_DOC) || !Files.isExecutable(BusyboxImages.DEBIAN_BUSYBOX)) {
            missing.add(BusyboxImages.DEBIAN_BUSYBOX + " from busybox-static (Debian: busybox-static)");
        }
        return missing;
    }

    /** Effective uid 0, from /proc/self/status ("Uid: real effective saved fs"). */
    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.substring(4).trim().split("\\s+")[1].equals("0");
            }
        }
        throw new IOException("/proc/self/status has no Uid line");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
