package dev.kumo.node.cri;

import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.NodeSystemInfo;
import dev.kumo.node.RuntimeConfig;
import dev.kumo.node.image.BusyboxImages;
import dev.kumo.node.image.ImageImporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One real node for tests: a private containerd (with the offline busybox and pause images imported), a pod bridge
 * of its own on a pod CIDR of its own, and node agents with the cri runtime started on it on demand. Closing it
 * removes every sandbox, stops containerd and deletes the bridge.
 */
final class CriTestNode implements AutoCloseable {
    final Path dir;
    final ContainerdLauncher containerd;
    final RuntimeConfig.Cri runtime;
    final String podCidr;

    private CriTestNode(Path dir, ContainerdLauncher containerd, RuntimeConfig.Cri runtime, String podCidr) {
        this.dir = dir;
        this.containerd = containerd;
        this.runtime = runtime;
        this.podCidr = podCidr;
    }

    static CriTestNode start() throws IOException, InterruptedException {
        CriPrerequisites.require();
        Path dir = Files.createTempDirectory("kumo-cri-test-");
        ContainerdLauncher containerd = ContainerdLauncher.start(dir.resolve("containerd"), BusyboxImages.PAUSE);
        try {
            Path archive = dir.resolve("busybox-images.tar");
            BusyboxImages.write(BusyboxImages.DEBIAN_BUSYBOX, archive);
            ImageImporter.importArchive(containerd.socket(), archive);
        } catch (IOException | InterruptedException | RuntimeException e) {
            containerd.close();
            throw e;
        }
        // A bridge and a /24 of their own, so that tests running beside each other on one machine do not meet.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String bridge = "kumot" + HexFormat.of().toHexDigits((short) random.nextInt(1 << 16));
        String podCidr = "10.213." + random.nextInt(1, 250) + ".0/24";
        RuntimeConfig.Cri runtime = new RuntimeConfig.Cri(containerd.socket(), containerd.cniConfDir(),
                dir.resolve("agent"), bridge);
        return new CriTestNode(dir, containerd, runtime, podCidr);
    }

    NodeAgent agent(ApiEndpoint api, String bootstrapToken, String name) throws InterruptedException {
        return agent(api, bootstrapToken, name, false);
    }

    /** @param kubeletApi whether the agent serves its kubelet endpoint (logs, exec, port-forward) on loopback */
    NodeAgent agent(ApiEndpoint api, String bootstrapToken, String name, boolean kubeletApi)
            throws InterruptedException {
        NodeConfig config = NodeConfig.of(name, "127.0.0.1", podCidr, NodeCapacity.of("2", "4Gi", "20Gi"));
        NodeAgent agent = new NodeAgent(api, bootstrapToken, config,
                runtime.factory(config, Clock.systemUTC()),
                NodeSystemInfo.simulated(name, runtime.runtimeVersion()), Clock.systemUTC(), 16);
        if (kubeletApi) {
            agent.serveKubeletApi(new java.net.InetSocketAddress("127.0.0.1", 0), runtime.stateDir());
        }
        agent.start(Duration.ofSeconds(30));
        return agent;
    }

    CriClient client() {
        return new CriClient(containerd.socket());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        containerd.close();
        Process delete = new ProcessBuilder("ip", "link", "delete", runtime.bridge()).redirectErrorStream(true)
                .start();
        delete.getInputStream().readAllBytes();
        delete.waitFor(); // a bridge never made (no pod ran) has nothing to delete
        // --one-file-system: never into a mount that outlived containerd
        Process remove = new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(remove.getInputStream().readAllBytes());
        if (remove.waitFor() != 0) {
            throw new IOException("could not remove " + dir + ": " + output);
        }
    }
}
