package dev.kumo.e2e.support;

import dev.kumo.local.LocalCluster;
import dev.kumo.local.NodeNetwork;
import dev.kumo.local.NodeRuntimeChoice;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A whole local cluster (DynamoDB Local, ElasticMQ, the API behind its HTTPS front) in this JVM, with everything a
 * test talks to it through: the kubeconfig, raw HTTPS, and kubectl releases. Tests share one (see
 * {@link SharedCluster}); each works in namespaces of its own ({@link #newNamespace}).
 */
public final class KumoCluster implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final LocalCluster cluster;
    private final Path workDirectory;
    private final KubeconfigFile kubeconfig;
    private final ApiClient api;
    private final Map<String, Kubectl> kubectls = new ConcurrentHashMap<>();

    private KumoCluster(LocalCluster cluster, Path workDirectory) throws IOException {
        this.cluster = cluster;
        this.workDirectory = workDirectory;
        this.kubeconfig = KubeconfigFile.read(cluster.kubeconfig());
        this.api = ApiClient.of(kubeconfig);
    }

    /** Starts an ephemeral cluster on a free loopback port, its home in a new temporary directory. */
    public static KumoCluster start() throws Exception {
        return start(0);
    }

    /** The same with {@code nodes} simulated nodes ({@code kumo-node-1..N}) joined. */
    public static KumoCluster start(int nodes) throws Exception {
        return start(nodes, NodeRuntimeChoice.SIMULATED);
    }

    /** The same with {@code nodes} nodes of {@code runtime} (simulated or process). */
    public static KumoCluster start(int nodes, String runtime) throws Exception {
        Path home = Files.createTempDirectory("kumo-e2e-");
        long started = System.nanoTime();
        LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(home, true,
                new InetSocketAddress("127.0.0.1", 0), true, nodes, runtime, NodeNetwork.LOCAL),
                step -> System.out.println("kumo: " + step));
        System.out.printf("kumo: cluster up at %s in %.1f s%n", cluster.server(), (System.nanoTime() - started) / 1e9);
        KumoCluster kumo = new KumoCluster(cluster, home);
        kumo.api.get("/readyz").expect(200);
        return kumo;
    }

    public LocalCluster local() {
        return cluster;
    }

    public KubeconfigFile kubeconfig() {
        return kubeconfig;
    }

    public ApiClient api() {
        return api;
    }

    /** A directory for the files tests hand to kubectl. */
    public Path workDirectory() {
        return workDirectory;
    }

    /** kubectl of this release (e.g. "1.28"); the test is skipped where the machine lacks it. */
    public Kubectl kubectl(String version) {
        Kubectl kubectl = kubectls.computeIfAbsent(version,
                v -> new Kubectl(v, kubeconfig.path(), workDirectory));
        assumeTrue(kubectl.installed(), "no kubectl." + version + " in " + Kubectl.DIRECTORY);
        return kubectl;
    }

    /** Creates a namespace no other test uses, named after {@code purpose}. */
    public String newNamespace(String purpose) {
        String base = purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        String suffix = "-" + NAMESPACES.incrementAndGet();
        String name = (base.length() + suffix.length() > 63 ? base.substring(0, 63 - suffix.length()) : base) + suffix;
        api.createNamespace(name);
        return name;
    }

    /** Writes a file under the work directory (a manifest for {@code kubectl -f}). */
    public Path writeFile(String name, String content) {
        try {
            return Files.writeString(workDirectory.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the cluster and removes its home (data, keys, logs): each run starts from a new temporary one. */
    @Override
    public void close() {
        cluster.close();
        try (var paths = Files.walk(workDirectory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the test cluster's home " + workDirectory, e);
        }
    }
}
