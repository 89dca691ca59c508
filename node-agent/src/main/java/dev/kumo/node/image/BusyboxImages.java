package dev.kumo.node.image;

import dev.kumo.node.NodeConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The images a node can run without a registry, built offline from Debian's busybox-static: one layer with
 * {@code /bin/busybox}, a symbolic link for every applet it lists ({@code sh}, {@code httpd}, {@code nc},
 * {@code wget}, {@code cat}, {@code sleep}, ...), and the few files and directories programs expect. Two images share
 * it: {@value #BUSYBOX} (runs {@code sh}) and {@value #PAUSE}, the pod sandbox's image, which only sleeps (containerd
 * ends it with SIGKILL).
 */
public final class BusyboxImages {
    public static final String BUSYBOX = "kumo.local/busybox:latest";
    public static final String PAUSE = "kumo.local/pause:latest";
    /** Where Debian's busybox-static puts its binary. */
    public static final Path DEBIAN_BUSYBOX = Path.of("/bin/busybox");

    private BusyboxImages() {
    }

    /** Writes an OCI archive with both images, made from the busybox binary {@code busybox}. */
    public static void write(Path busybox, Path archive) throws IOException, InterruptedException {
        byte[] layer = layer(busybox);
        new OciArchive(NodeConfig.hostArchitecture())
                .add(new OciArchive.Image(BUSYBOX, layer, List.of(), List.of("sh")))
                .add(new OciArchive.Image(PAUSE, layer, List.of("/bin/sleep", "2147483647"), List.of()))
                .write(archive);
    }

    /**
     * Writes an OCI archive with one image named {@code reference}: the same busybox root file system, running
     * {@code sh} (an image to load into nodes under a name of one's own, as {@code ./kumo image load} does).
     */
    public static void write(Path busybox, Path archive, String reference) throws IOException, InterruptedException {
        new OciArchive(NodeConfig.hostArchitecture())
                .add(new OciArchive.Image(reference, layer(busybox), List.of(), List.of("sh")))
                .write(archive);
    }

    /** The root file system: busybox, its applets as links to it, /etc/passwd and /etc/group, empty directories. */
    static byte[] layer(Path busybox) throws IOException, InterruptedException {
        if (!Files.isRegularFile(busybox)) {
            throw new IOException(busybox + " is missing: install busybox-static (Debian) to build the offline images");
        }
        byte[] binary = Files.readAllBytes(busybox);
        TreeSet<String> applets = applets(busybox);
        TreeSet<String> directories = new TreeSet<>(List.of("bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc",
                "proc", "sys", "dev", "root", "home", "var", "var/www", "tmp"));
        applets.forEach(applet -> {
            for (int slash = applet.indexOf('/'); slash > 0; slash = applet.indexOf('/', slash + 1)) {
                directories.add(applet.substring(0, slash));
            }
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(binary.length + 256 * 1024);
        try (TarWriter tar = new TarWriter(bytes, 0)) {
            for (String directory : directories) {
                tar.directory(directory, directory.equals("tmp") ? 01777 : 0755);
            }
            tar.file("bin/busybox", 0755, binary);
            for (String applet : applets) {
                if (!applet.equals("bin/busybox")) {
                    tar.symlink(applet, "/bin/busybox");
                }
            }
            tar.file("etc/passwd", 0644, """
                    root:x:0:0:root:/root:/bin/sh
                    nobody:x:65534:65534:nobody:/nonexistent:/bin/false
                    """.getBytes(StandardCharsets.UTF_8));
            tar.file("etc/group", 0644, """
                    root:x:0:
                    nogroup:x:65534:
                    """.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** Every applet's path ({@code bin/sh}, {@code usr/bin/wget}, ...), as {@code busybox --list-full} gives them. */
    private static TreeSet<String> applets(Path busybox) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(busybox.toString(), "--list-full").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException(busybox + " --list-full exited with " + exit + ": " + output.strip());
        }
        TreeSet<String> applets = new TreeSet<>();
        output.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(applets::add);
        return applets;
    }
}
