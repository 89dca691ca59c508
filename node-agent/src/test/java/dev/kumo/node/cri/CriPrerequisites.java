package dev.kumo.node.cri;

import dev.kumo.node.image.BusyboxImages;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the containerd tests need: root, containerd, ctr and runc on the PATH, the CNI plugins and busybox-static.
 * A developer's machine without them skips the tests and says what is missing; CI ({@code CI=true}), which must
 * have them, fails instead, so that a missing install step cannot pass as green.
 */
final class CriPrerequisites {
    private CriPrerequisites() {
    }

    static void require() {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (containerd, runc and CNI need it)");
        }
        for (String command : List.of("containerd", "ctr", "runc")) {
            if (!onPath(command)) {
                missing.add(command + " on the PATH (Debian: " + (command.equals("runc") ? "runc" : "containerd")
                        + ")");
            }
        }
        for (String plugin : List.of("bridge", "host-local", "loopback", "portmap")) {
            if (!Files.isExecutable(ContainerdLauncher.CNI_BIN_DIR.resolve(plugin))) {
                missing.add(ContainerdLauncher.CNI_BIN_DIR.resolve(plugin) + " (Debian: containernetworking-plugins)");
            }
        }
        if (!Files.isExecutable(BusyboxImages.DEBIAN_BUSYBOX)) {
            missing.add(BusyboxImages.DEBIAN_BUSYBOX + " (Debian: busybox-static)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "containerd tests need: " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
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
