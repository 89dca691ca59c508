package dev.kumo.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.Informer;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.local.LocalCluster;
import dev.kumo.local.NodeNetwork;
import dev.kumo.local.NodeRuntimeChoice;
import dev.kumo.node.stats.HostUsage;
import dev.kumo.node.stats.ProcessTreeUsage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code ./kumo bench pods}: pod startup latency on a real node, as issue 4 asks for it: a local cluster with one
 * cri node (its agent a process in the node's namespace, its containerd beside it) and the control loops, batches of
 * 1, 10 and 30 busybox pods created at once (image present: no pull), each timed from its create to Running and to
 * Ready as a watch sees them (p50 and p99; the scheduler's binding is included, as in Kubernetes' pod startup SLI);
 * then the memory (RSS) of the node's agent, its containerd and the cluster's JVM. Needs root and containerd.
 * Prints figures; asserts nothing.
 */
public final class PodStartupBenchmark {
    private static final String NAMESPACE = "default";
    /** Its own node network, so that it runs beside a {@code ./kumo up}. */
    private static final NodeNetwork NETWORK = NodeNetwork.parse("kumob:10.247.0:10.241");
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(3);

    private PodStartupBenchmark() {
    }

    public static void main(String[] args) {
        BenchArgs.exitAfter(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> options = BenchArgs.parse(args, Map.of("--batches", "1,10,30"));
        System.out.printf("kumo bench pods — %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        Path home = Files.createTempDirectory("kumo-bench-pods");
        try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(home, true,
                new InetSocketAddress("127.0.0.1", 0), true, 1, NodeRuntimeChoice.CRI, NETWORK),
                step -> System.out.println("kumo: " + step))) {
            KubeClient client = BenchClient.fromKubeconfig(cluster.kubeconfig()).kubeClient();
            try (StartedPods watch = new StartedPods(client)) {
                batch(client, watch, "warm-up", 3); // the agent's JIT, containerd's first sandboxes
                System.out.println();
                System.out.println("  pods  running p50 ms  running p99 ms  ready p50 ms  ready p99 ms  "
                        + "CPU s: machine busy, agent, cluster JVM, the rest (containerd, shims, runc, CNI)");
                long agent = agentPid(home);
                for (String size : options.get("--batches").split(",")) {
                    int pods = Integer.parseInt(size.strip());
                    CpuUse before = CpuUse.now(agent);
                    Latencies[] latencies = batch(client, watch, "batch-" + pods, pods);
                    CpuUse used = CpuUse.now(agent).minus(before);
                    System.out.printf("  %4d  %14.0f  %14.0f  %12.0f  %12.0f  %.1f of %.1f, %.1f, %.1f, %.1f%n", pods,
                            latencies[0].percentileMillis(50), latencies[0].percentileMillis(99),
                            latencies[1].percentileMillis(50), latencies[1].percentileMillis(99),
                            used.busy(), used.elapsed(), used.agent(), used.cluster(),
                            used.busy() - used.agent() - used.cluster());
                }
            }
            printMemory(home);
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(java.util.Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Creates {@code count} pods at once, waits for all to be Ready, then deletes them and waits until gone. */
    private static Latencies[] batch(KubeClient client, StartedPods watch, String prefix, int count)
            throws Exception {
        List<String> names = new ArrayList<>();
        try (ExecutorService creators = Executors.newFixedThreadPool(Math.min(count, 8))) {
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = prefix + "-" + i;
                names.add(name);
                creates.add(creators.submit(() -> {
                    watch.created(name);
                    client.create(ResourceType.PODS, NAMESPACE, pod(client, name));
                    return null;
                }));
            }
            for (Future<?> create : creates) {
                create.get();
            }
        }
        long deadline = System.nanoTime() + BATCH_TIMEOUT.toNanos();
        while (!watch.allReady(names)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(prefix + ": not all " + count + " pods Ready within "
                        + BATCH_TIMEOUT.toMinutes() + " min");
            }
            Thread.sleep(50);
        }
        Latencies[] latencies = {new Latencies(), new Latencies()};
        for (String name : names) {
            latencies[0].add(watch.toRunning(name));
            latencies[1].add(watch.toReady(name));
        }
        ObjectNode now = client.mapper().createObjectNode().put("gracePeriodSeconds", 0);
        for (String name : names) {
            client.delete(ResourceType.PODS, NAMESPACE, name, now);
        }
        while (!watch.allGone(names)) {
            if (System.nanoTime() > deadline + BATCH_TIMEOUT.toNanos()) {
                throw new IllegalStateException(prefix + ": the pods were not deleted");
            }
            Thread.sleep(50);
        }
        return latencies;
    }

    private static ObjectNode pod(KubeClient client, String name) throws IOException {
        return (ObjectNode) client.mapper().readTree("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"terminationGracePeriodSeconds":0,
                 "containers":[{"name":"c","image":"kumo.local/busybox:latest","imagePullPolicy":"Never",
                  "command":["sleep","3600"]}]}}""".formatted(name));
    }

    /** When each pod was created, and first seen Running and Ready by a watch. */
    private static final class StartedPods implements Informer.Handler, AutoCloseable {
        private final Map<String, Long> created = new ConcurrentHashMap<>();
        private final Map<String, Long> running = new ConcurrentHashMap<>();
        private final Map<String, Long> ready = new ConcurrentHashMap<>();
        private final java.util.Set<String> present = ConcurrentHashMap.newKeySet();
        private final Informer informer;

        StartedPods(KubeClient client) throws InterruptedException {
            informer = new Informer(client, ResourceType.PODS, NAMESPACE, "", "", this);
            Thread.ofPlatform().daemon().name("started-pods").start(informer::run);
            if (!informer.awaitSynced(Duration.ofSeconds(30))) {
                throw new IllegalStateException("could not list the pods within 30 s");
            }
        }

        void created(String name) {
            created.put(name, System.nanoTime());
        }

        @Override
        public void added(ObjectNode pod) {
            present.add(pod.path("metadata").path("name").asText());
            updated(pod, pod);
        }

        @Override
        public void updated(ObjectNode previous, ObjectNode pod) {
            String name = pod.path("metadata").path("name").asText();
            long now = System.nanoTime();
            if ("Running".equals(pod.path("status").path("phase").asText())) {
                running.putIfAbsent(name, now);
            }
            for (var condition : pod.path("status").path("conditions")) {
                if ("Ready".equals(condition.path("type").asText())
                        && "True".equals(condition.path("status").asText())) {
                    ready.putIfAbsent(name, now);
                }
            }
        }

        @Override
        public void deleted(ObjectNode last) {
            present.remove(last.path("metadata").path("name").asText());
        }

        boolean allReady(List<String> names) {
            return ready.keySet().containsAll(names);
        }

        boolean allGone(List<String> names) {
            return names.stream().noneMatch(present::contains);
        }

        long toRunning(String name) {
            return running.get(name) - created.get(name);
        }

        long toReady(String name) {
            return ready.get(name) - created.get(name);
        }

        @Override
        public void close() {
            informer.close();
        }
    }

    private static long agentPid(Path home) throws IOException {
        return Long.parseLong(Files.readString(home.resolve("nodes").resolve("kumo-node-1").resolve("agent.ready"))
                .strip());
    }

    /**
     * CPU seconds: the machine's busy time summed over its cores ({@link HostUsage}), wall time times the cores, and
     * the agent's and this JVM's own ({@link ProcessTreeUsage#measureProcess}). Where a batch's time goes.
     */
    private record CpuUse(double busy, double elapsed, double agent, double cluster) {
        static CpuUse now(long agentPid) throws IOException {
            Instant now = Instant.now();
            return new CpuUse(seconds(HostUsage.system().cpu(now).usageCoreNanoSeconds()),
                    System.nanoTime() / 1e9 * Runtime.getRuntime().availableProcessors(),
                    seconds(processCpu(agentPid, now)), seconds(processCpu(ProcessHandle.current().pid(), now)));
        }

        CpuUse minus(CpuUse earlier) {
            return new CpuUse(busy - earlier.busy, elapsed - earlier.elapsed, agent - earlier.agent,
                    cluster - earlier.cluster);
        }

        private static long processCpu(long pid, Instant now) throws IOException {
            return ProcessTreeUsage.system().measureProcess(pid, now).cpu().usageCoreNanoSeconds();
        }

        private static double seconds(long nanos) {
            return nanos / 1e9;
        }
    }

    /** The node's agent (its pid in its ready file), its containerd (named by its config) and this JVM. */
    private static void printMemory(Path home) throws IOException {
        Path node = home.resolve("nodes").resolve("kumo-node-1");
        long agent = agentPid(home);
        String config = node.resolve("containerd").resolve("config.toml").toString();
        long containerd = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(config)).mapToLong(ProcessHandle::pid)
                .findFirst().orElse(-1);
        System.out.println();
        System.out.printf("memory (RSS): node agent %d MiB (pid %d), its containerd %d MiB, the cluster's JVM (API"
                        + " server, loops, DynamoDB Local, ElasticMQ) %d MiB%n", rssKib(agent) / 1024, agent,
                rssKib(containerd) / 1024, rssKib(ProcessHandle.current().pid()) / 1024);
    }

    private static long rssKib(long pid) throws IOException {
        if (pid < 0) {
            return 0;
        }
        return ProcessTreeUsage.system().measureProcess(pid, Instant.now()).memory().rssBytes() / 1024;
    }
}
