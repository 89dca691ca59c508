package dev.kumo.local.bench;

import dev.kumo.apimachinery.store.dynamodb.CallerBreakdown;
import dev.kumo.apimachinery.store.dynamodb.ConsumedCapacityMeter;
import dev.kumo.apiserver.lambda.ServerFactory;
import dev.kumo.local.LocalCluster;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code ./kumo bench scheduler}: scheduler throughput end to end on the local cluster with its control loops (the
 * fan-out, the SQS FIFO queues, the scheduler loop in the local Lambda host): fake nodes (Ready Node objects whose
 * Leases this process renews, no node agents), then pending pods created as fast as the API takes them, timed from
 * the first create to the last pod seen bound by a watch. Each scenario runs on a fresh cluster. Prints figures;
 * asserts nothing.
 */
public final class SchedulerBenchmark {
    private static final String NAMESPACE = "default";
    /** A run that binds nothing for this long has stalled: say so rather than wait forever. */
    private static final long STALL_NANOS = 180_000_000_000L;
    private static final long QUIET_NANOS = 20_000_000_000L;

    private enum Scenario {
        PODS_1000("pods-1000", 1_000, 100, false),
        PODS_5000("pods-5000", 5_000, 500, false),
        DEPLOYMENT_1000("deployment-1000", 1_000, 100, true);

        final String id;
        final int pods;
        final int nodes;
        final boolean deployment;

        Scenario(String id, int pods, int nodes, boolean deployment) {
            this.id = id;
            this.pods = pods;
            this.nodes = nodes;
            this.deployment = deployment;
        }
    }

    private SchedulerBenchmark() {
    }

    public static void main(String[] args) {
        BenchArgs.exitAfter(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> options = BenchArgs.parse(args, Map.of("--scenario", "all", "--creators", "4"));
        List<Scenario> scenarios = scenarios(options.get("--scenario"));
        int creators = Integer.parseInt(options.get("--creators"));
        System.out.printf("kumo bench scheduler — %d cores, Java %s (%s)%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), System.getProperty("java.vm.name"));
        List<String> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            results.add(runScenario(scenario, creators));
        }
        System.out.println();
        System.out.println("summary:");
        results.forEach(System.out::println);
    }

    private static List<Scenario> scenarios(String wanted) {
        if (wanted.equals("all")) {
            return List.of(Scenario.values());
        }
        List<Scenario> chosen = new ArrayList<>();
        for (String id : wanted.split(",")) {
            chosen.add(Stream.of(Scenario.values()).filter(s -> s.id.equals(id.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown scenario " + id
                            + " (pods-1000, pods-5000, deployment-1000, all)")));
        }
        return chosen;
    }

    private static String runScenario(Scenario scenario, int creators) throws Exception {
        System.out.printf("%n== %s: %d pods onto %d nodes%s ==%n", scenario.id, scenario.pods, scenario.nodes,
                scenario.deployment ? " (one Deployment)" : " (" + creators + " threads creating)");
        Path home = Files.createTempDirectory("kumo-bench");
        try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(home, true,
                new InetSocketAddress("127.0.0.1", 0), true, 0), step -> System.out.println("kumo: " + step))) {
            BenchClient client = BenchClient.fromKubeconfig(cluster.kubeconfig());
            long t = System.nanoTime();
            try (FakeNodes nodes = FakeNodes.create(client, scenario.nodes);
                 BoundPods watch = new BoundPods(client, NAMESPACE)) {
                System.out.printf("%d nodes and their leases created in %.1f s%n", scenario.nodes,
                        (System.nanoTime() - t) / 1e9);
                ConsumedCapacityMeter.Totals before = ServerFactory.CAPACITY.totals();
                CallerBreakdown.Snapshot callersBefore = ServerFactory.CAPACITY.breakdown().snapshot();
                CpuProfile cpu = CpuProfile.start();
                long start = System.nanoTime();
                AtomicInteger created = new AtomicInteger();
                Future<Long> creating = scenario.deployment ? createDeployment(client, scenario.pods)
                        : createPods(client, scenario.pods, creators, created);
                waitForBound(watch, scenario.pods, scenario.deployment ? watch::seen : created::get);
                // A Deployment's pods are created by the replicaset loop: the last one is the last the watch saw.
                long createdAt = scenario.deployment ? watch.lastSeenAt() : creating.get();
                long end = watch.lastBoundAt();
                ConsumedCapacityMeter.Totals cost = ServerFactory.CAPACITY.totals().minus(before);
                double seconds = (end - start) / 1e9;
                try (cpu) {
                    cpu.print(scenario.pods, seconds);
                }
                CostReport.print(ServerFactory.CAPACITY.breakdown().snapshot().minus(callersBefore), scenario.pods);
                String split = String.format(scenario.deployment ? "the replicaset loop created the pods at %.0f/s"
                        : "creates %.0f/s", scenario.pods / ((createdAt - start) / 1e9));
                String result = String.format("  %-16s %5d pods / %3d nodes: %6.1f s, %5.0f pods/s end to end "
                                + "(%s, then %.1f s to bind the rest); %.1f DynamoDB calls per pod; lease "
                                + "renewals failed: %d; nodes marked not Ready meanwhile: %d, at the end: %d",
                        scenario.id, scenario.pods, scenario.nodes, seconds, scenario.pods / seconds, split,
                        Math.max(0, end - createdAt) / 1e9, (double) cost.calls() / scenario.pods,
                        nodes.renewalFailures(), nodes.markedNotReady(), nodes.notReady());
                System.out.println(result);
                return result;
            }
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Creates the pods from a few threads; the future gives {@link System#nanoTime()} after the last create. */
    private static Future<Long> createPods(BenchClient client, int count, int creators, AtomicInteger created) {
        ExecutorService pool = Executors.newFixedThreadPool(creators + 1);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> threads = new ArrayList<>();
        for (int c = 0; c < creators; c++) {
            threads.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    BenchClient.expect(client.send("POST", "/api/v1/namespaces/" + NAMESPACE + "/pods",
                            Pods.pod(String.format("pod-%05d", i), i)), 201);
                    created.incrementAndGet();
                }
                return null;
            }));
        }
        Future<Long> done = pool.submit(() -> {
            for (Future<?> creator : threads) {
                creator.get();
            }
            return System.nanoTime();
        });
        pool.shutdown();
        return done;
    }

    /** Creates one Deployment; the replicaset loop creates its pods. */
    private static Future<Long> createDeployment(BenchClient client, int replicas) throws Exception {
        BenchClient.expect(client.send("POST", "/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments", """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"bench"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"bench-deploy"}},
                  "template":{"metadata":{"labels":{"app":"bench-deploy"}},
                   "spec":{"containers":[{"name":"web","image":"nginx:1.27",
                    "resources":{"requests":{"cpu":"100m","memory":"128Mi"}}}]}}}}
                """.formatted(replicas)), 201);
        return CompletableFuture.completedFuture(System.nanoTime());
    }

    private interface Count {
        int get();
    }

    private static void waitForBound(BoundPods watch, int pods, Count created) throws Exception {
        long start = System.nanoTime();
        long lastProgress = start;
        int lastBound = 0;
        while (watch.count() < pods) {
            Thread.sleep(2_000);
            int bound = watch.count();
            long now = System.nanoTime();
            System.out.printf("  %5.1f s: %5d created, %5d bound (%.0f/s so far)%n", (now - start) / 1e9,
                    created.get(), bound, bound / ((now - start) / 1e9));
            if (bound > lastBound) {
                lastBound = bound;
                lastProgress = now;
            } else if (now - lastProgress > QUIET_NANOS && (now - lastProgress) % QUIET_NANOS < 2_100_000_000L) {
                System.out.printf("  no progress for %.0f s: the watch sees %d bound, a list %d%n",
                        (now - lastProgress) / 1e9, bound, watch.listBound());
            }
            if (now - lastProgress > STALL_NANOS) {
                throw new IllegalStateException("no pod bound for " + STALL_NANOS / 1_000_000_000 + " s; "
                        + bound + " of " + pods + " bound");
            }
        }
    }
}
