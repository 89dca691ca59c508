package dev.kumo.node.cri;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a stopped containerd left mounted under its directory (a sandbox's shm whose removal failed) is unmounted,
 * deepest first, and nothing outside the directory is touched.
 */
@Tag("containerd")
class ContainerdLeftoversTest {

    @Test
    void mountsLeftUnderTheDirectoryAreUnmountedAndOthersKept(@TempDir Path tmp) throws Exception {
        CriPrerequisites.require();
        Path dir = tmp.resolve("containerd");
        Path shm = Files.createDirectories(dir.resolve("state/sandboxes/abc/shm"));
        Path outside = Files.createDirectories(tmp.resolve("containerd-other/shm"));
        try {
            mount(shm);
            Path nested = Files.createDirectories(shm.resolve("inner")); // on the tmpfs just mounted
            mount(nested);
            mount(outside);

            assertThat(ContainerdLauncher.unmountLeftovers(dir)).isEqualTo(2);

            assertThat(mounted(shm)).isFalse();
            assertThat(mounted(shm.resolve("inner"))).isFalse();
            assertThat(mounted(outside)).as("a sibling whose name only starts the same").isTrue();
        } finally {
            new ProcessBuilder("umount", "-R", outside.toString()).start().waitFor();
            new ProcessBuilder("umount", "-R", shm.toString()).start().waitFor();
        }
    }

    private static void mount(Path at) throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", at.toString()).inheritIO().start();
        assertThat(mount.waitFor()).as("mount tmpfs on " + at).isZero();
    }

    private static boolean mounted(Path at) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(line -> line.split(" ")[4].equals(at.toString()));
    }
}
