package dev.kumo.node.cri;

import dev.kumo.node.cri.v1.ListPodSandboxRequest;
import dev.kumo.node.cri.v1.PodSandbox;
import dev.kumo.node.cri.v1.RemovePodSandboxRequest;
import dev.kumo.node.cri.v1.StopPodSandboxRequest;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private containerd for local use and tests: its own root, state, socket and CNI configuration directory under
 * one directory, a generated {@code config.toml} (CRI plugin on, runc with cgroupfs, CNI plugins from
 * {@code /usr/lib/cni}, the offline pause image as sandbox image), its output in {@code containerd.log}. OOM score
 * adjustments are kept at or above containerd's own ({@code restrict_oom_score_adj}): root without
 * CAP_SYS_RESOURCE (as in some VMs and containers) may not lower them, and runc would fail every sandbox.
 * {@link #start} returns once the CRI answers; {@link #close} removes every pod sandbox it holds (which ends their
 * containers and shims), stops containerd, and kills any shim of it still alive, so that nothing outlives it, also
 * when a test fails. A shutdown hook does the same if the JVM exits without closing it.
 *
 * <p>Given a network namespace, containerd runs in it through {@code nsenter --net} (the network namespace only:
 * its mounts, the containers' root file systems and the sandboxes' namespace files, stay in the host's mount
 * namespace, where the host can see and clean them up), so the CNI plugins it runs put the pod bridge there.
 */
public final class ContainerdLauncher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerdLauncher.class);
    /** Debian's location of the containernetworking-plugins. */
    public static final Path CNI_BIN_DIR = Path.of("/usr/lib/cni");
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final Process process;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private ContainerdLauncher(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
        this.shutdownHook = new Thread(this::stop, "containerd-stop-" + process.pid());
    }

    /**
     * Starts containerd in {@code dir} (created if needed) with {@code sandboxImage} as the pause image, and waits
     * until its CRI answers Version.
     */
    public static ContainerdLauncher start(Path dir, String sandboxImage) throws IOException, InterruptedException {
        return start(dir, sandboxImage, "", LOOPBACK);
    }

    /**
     * The same, in the network namespace {@code netns} ("" for the host's), a name under /run/netns, with its
     * streaming server (exec, port-forward) on {@code streamAddress}: an address of that namespace which the agent
     * can reach (a namespace's loopback is not the agent's when the agent runs outside it).
     */
    public static ContainerdLauncher start(Path dir, String sandboxImage, String netns, String streamAddress)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path absolute = dir.toAbsolutePath();
        Files.createDirectories(absolute.resolve("net.d"));
        Path config = absolute.resolve("config.toml");
        Files.writeString(config, config(absolute, sandboxImage, streamAddress), StandardCharsets.UTF_8);
        Path log = absolute.resolve("containerd.log");
        List<String> command = new ArrayList<>();
        if (!netns.isEmpty()) {
            command.addAll(List.of("nsenter", "--net=/run/netns/" + netns));
        }
        command.addAll(List.of("containerd", "--config", config.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ContainerdLauncher launcher = new ContainerdLauncher(absolute, process);
        Runtime.getRuntime().addShutdownHook(launcher.shutdownHook);
        LOG.atInfo().addKeyValue("pid", process.pid()).addKeyValue("socket", launcher.socket())
                .addKeyValue("netns", netns).addKeyValue("log", log).log("started containerd");
        try {
            launcher.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            launcher.close();
            throw e;
        }
        return launcher;
    }

    /** The config.toml (version 2, containerd 1.6) of a containerd living in {@code dir}. */
    static String config(Path dir, String sandboxImage, String streamAddress) {
        return """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"

                [grpc]
                  address = "%1$s/containerd.sock"

                [ttrpc]
                  address = "%1$s/containerd.sock.ttrpc"

                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%2$s"
                  restrict_oom_score_adj = true
                  # exec and port-forward: the streaming server on an address the agent reaches, a free port
                  # each (the agent proxies to it; its URLs carry one-time tokens)
                  stream_server_address = "%4$s"
                  stream_server_port = "0"
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        SystemdCgroup = false
                        Root = "%1$s/state/runc"
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%3$s"
                    conf_dir = "%1$s/net.d"
                    max_conf_num = 1
                """.formatted(dir, sandboxImage, CNI_BIN_DIR, streamAddress);
    }

    public Path socket() {
        return dir.resolve("containerd.sock");
    }

    /** Where the CNI configuration goes (the agent writes its conflist there). */
    public Path cniConfDir() {
        return dir.resolve("net.d");
    }

    public Path log() {
        return dir.resolve("containerd.log");
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("containerd exited with " + process.exitValue() + " at start; see " + log());
            }
            if (Files.exists(socket())) {
                try (CriClient client = new CriClient(socket())) {
                    client.version();
                    return;
                } catch (StatusRuntimeException e) {
                    last = e;
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("containerd's CRI did not answer within " + START_TIMEOUT.toSeconds() + " s; see "
                + log(), last);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) stop() itself
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        if (process.isAlive()) {
            removeSandboxes();
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        killShims(socket().toString());
        unmountLeftovers(dir);
        LOG.atInfo().addKeyValue("pid", process.pid()).addKeyValue("log", log()).log("stopped containerd");
    }

    /**
     * Unmounts what is still mounted under {@code dir} once its containerd has stopped: a sandbox whose removal failed
     * keeps its {@code shm} mount (and a root file system may stay mounted), which would outlive the node and keep its
     * directory from being removed. Deepest first.
     *
     * @return how many it unmounted
     */
    public static int unmountLeftovers(Path dir) {
        String prefix = dir.toAbsolutePath() + "/";
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" ")[4].replace("\\040", " "))
                    .filter(mountPoint -> mountPoint.startsWith(prefix))
                    .sorted(java.util.Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            LOG.atWarn().setCause(e).addKeyValue("dir", dir).log("could not read the mounts to clean up");
            return 0;
        }
        int unmounted = 0;
        for (String mountPoint : mounts) {
            try {
                Process umount = new ProcessBuilder("umount", mountPoint).redirectErrorStream(true).start();
                String output = new String(umount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (umount.waitFor() == 0) {
                    unmounted++;
                    LOG.atWarn().addKeyValue("mount", mountPoint).log("unmounted what containerd left mounted");
                } else {
                    LOG.atWarn().addKeyValue("mount", mountPoint).addKeyValue("output", output)
                            .log("could not unmount what containerd left mounted");
                }
            } catch (IOException e) {
                LOG.atWarn().setCause(e).addKeyValue("mount", mountPoint).log("could not run umount");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return unmounted;
            }
        }
        return unmounted;
    }

    /**
     * Stops and removes every pod sandbox: their containers end and their shims exit. Also what a containerd started
     * on the state of one that was killed needs before use, when its sandboxes' network is gone.
     *
     * @return how many it removed
     */
    public int removeSandboxes() {
        int removed = 0;
        try (CriClient client = new CriClient(socket())) {
            List<PodSandbox> sandboxes;
            try {
                sandboxes = client.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
            } catch (StatusRuntimeException e) {
                LOG.atWarn().addKeyValue("socket", socket()).setCause(e)
                        .log("could not list the pod sandboxes of containerd to remove them");
                return 0;
            }
            // one that fails does not keep the others
            for (PodSandbox sandbox : sandboxes) {
                try {
                    client.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder()
                            .setPodSandboxId(sandbox.getId()).build());
                    client.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder()
                            .setPodSandboxId(sandbox.getId()).build());
                    removed++;
                } catch (StatusRuntimeException e) {
                    LOG.atWarn().addKeyValue("socket", socket()).addKeyValue("sandbox", sandbox.getId())
                            .addKeyValue("pod", sandbox.getMetadata().getNamespace() + "/"
                                    + sandbox.getMetadata().getName()).setCause(e)
                            .log("could not remove a pod sandbox");
                }
            }
        }
        return removed;
    }

    /**
     * Kills what a containerd living in {@code dir} left running when its owner died without closing it (SIGKILL):
     * the containerd (its command line names the config in {@code dir}) and its shims with their containers. A new
     * containerd on the same root would otherwise wait for the old one's lock.
     *
     * @return how many processes it killed
     */
    public static int killLeftovers(Path dir) {
        Path absolute = dir.toAbsolutePath();
        String config = absolute.resolve("config.toml").toString();
        List<ProcessHandle> daemons = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.forEach(p -> {
                String line = commandLine(p.pid());
                if (line.startsWith("containerd ") && line.contains(config)) {
                    daemons.add(p);
                }
            });
        }
        for (ProcessHandle daemon : daemons) {
            daemon.destroyForcibly();
            daemon.onExit().orTimeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> daemon)
                    .join();
            LOG.atWarn().addKeyValue("pid", daemon.pid()).addKeyValue("config", config)
                    .log("killed a containerd left behind");
        }
        return daemons.size() + killShims(absolute.resolve("containerd.sock").toString());
    }

    /** Shims of this containerd that are still alive (they name its socket on their command line): killed. */
    private static int killShims(String address) {
        List<ProcessHandle> shims = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.forEach(p -> {
                String line = commandLine(p.pid());
                if (line.contains("containerd-shim") && line.contains(address)) {
                    shims.add(p);
                }
            });
        }
        for (ProcessHandle shim : shims) {
            // its containers are its descendants: they go with it
            shim.descendants().forEach(ProcessHandle::destroyForcibly);
            shim.destroyForcibly();
            LOG.atWarn().addKeyValue("pid", shim.pid()).addKeyValue("socket", address)
                    .log("killed a containerd shim left behind");
        }
        return shims.size();
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // gone meanwhile, or not ours to read
        }
    }
}
