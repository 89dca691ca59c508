package dev.kumo.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.store.dynamodb.ConsumedCapacityMeter;
import dev.kumo.apiserver.lambda.ServerFactory;
import dev.kumo.local.LocalCluster;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code ./kumo bench api}: starts an ephemeral local cluster in this JVM and measures the API through its HTTPS
 * front: latency of create/get/update/list, write throughput with concurrent clients, write-to-watch-event latency,
 * and the DynamoDB capacity one pod create costs. Prints figures; asserts nothing.
 */
public final class ApiBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiBenchmark() {
    }

    public static void main(String[] args) {
        BenchArgs.exitAfter(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> options = BenchArgs.parse(args, Map.of("--writers", "50", "--seconds", "20",
                "--samples", "300"));
        int writers = Integer.parseInt(options.get("--writers"));
        int seconds = Integer.parseInt(options.get("--seconds"));
        int samples = Integer.parseInt(options.get("--samples"));
        Path home = Files.createTempDirectory("kumo-bench");
        // Without the control loops: the capacity figures count every DynamoDB call in this process, and the
        // loops' reactions to the bench's pods would be counted as the requests' own.
        try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(home, true,
                new InetSocketAddress("127.0.0.1", 0), false, 0), step -> System.out.println("kumo: " + step))) {
            BenchClient client = BenchClient.fromKubeconfig(cluster.kubeconfig());
            System.out.printf("%nkumo bench api — %d cores, %s%n", Runtime.getRuntime().availableProcessors(),
                    cluster.server());
            warmUp(client);
            sequential(client, samples);
            capacity(client);
            rbac(client, samples);
            concurrent(client, writers, seconds);
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void warmUp(BenchClient client) throws Exception {
        for (int i = 0; i < 200; i++) {
            client.send("POST", "/api/v1/namespaces/default/pods", Pods.pod("warm-" + i, 0));
        }
        client.send("DELETE", "/api/v1/namespaces/default/pods", null);
    }

    private static void sequential(BenchClient client, int samples) throws Exception {
        Latencies create = new Latencies();
        Latencies get = new Latencies();
        Latencies update = new Latencies();
        Latencies list = new Latencies();
        for (int i = 0; i < samples; i++) {
            String name = "seq-" + i;
            long t0 = System.nanoTime();
            HttpResponse<String> created = client.send("POST", "/api/v1/namespaces/default/pods", Pods.pod(name, 0));
            create.add(System.nanoTime() - t0);
            BenchClient.expect(created, 201);
            t0 = System.nanoTime();
            HttpResponse<String> read = client.send("GET", "/api/v1/namespaces/default/pods/" + name, null);
            get.add(System.nanoTime() - t0);
            JsonNode pod = MAPPER.readTree(read.body());
            ((com.fasterxml.jackson.databind.node.ObjectNode) pod.path("metadata").path("labels")).put("updated", "yes");
            t0 = System.nanoTime();
            BenchClient.expect(client.send("PUT", "/api/v1/namespaces/default/pods/" + name, pod.toString()), 200);
            update.add(System.nanoTime() - t0);
            t0 = System.nanoTime();
            BenchClient.expect(client.send("GET", "/api/v1/namespaces/default/pods?limit=50", null), 200);
            list.add(System.nanoTime() - t0);
        }
        System.out.printf("%nsequential, one client, %d samples each (ms):%n", samples);
        System.out.println("  operation         p50      p99");
        System.out.println(create.row("create pod"));
        System.out.println(get.row("get pod"));
        System.out.println(update.row("update pod"));
        System.out.println(list.row("list 50 pods"));
    }

    private static void capacity(BenchClient client) throws Exception {
        ConsumedCapacityMeter.Totals before = ServerFactory.CAPACITY.totals();
        int n = 20;
        for (int i = 0; i < n; i++) {
            BenchClient.expect(client.send("POST", "/api/v1/namespaces/default/pods", Pods.pod("cost-" + i, 0)), 201);
        }
        ConsumedCapacityMeter.Totals create = ServerFactory.CAPACITY.totals().minus(before);
        before = ServerFactory.CAPACITY.totals();
        for (int i = 0; i < n; i++) {
            BenchClient.expect(client.send("GET", "/api/v1/namespaces/default/pods/cost-" + i, null), 200);
        }
        ConsumedCapacityMeter.Totals get = ServerFactory.CAPACITY.totals().minus(before);
        System.out.printf("%nDynamoDB capacity per operation (DynamoDB Local's accounting, average of %d):%n", n);
        System.out.printf("  create pod: %.1f write units, %.1f read units, %.1f calls%n",
                create.writeUnits() / n, create.readUnits() / n, (double) create.calls() / n);
        System.out.printf("  get pod:    %.1f write units, %.1f read units, %.1f calls%n",
                get.writeUnits() / n, get.readUnits() / n, (double) get.calls() / n);
    }

    /**
     * What RBAC costs: the same reads by the admin (system:masters, decided without RBAC) and by a user with an
     * {@code edit} RoleBinding (reached by impersonation), whose every request first checks the RBAC revision
     * counters; and the first request after an RBAC write, which relists the changed kind.
     */
    private static void rbac(BenchClient admin, int samples) throws Exception {
        BenchClient.expect(admin.send("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", """
                {"metadata":{"name":"bench-edit"},"roleRef":{"kind":"ClusterRole","name":"edit"},
                 "subjects":[{"kind":"User","name":"bench-user"}]}"""), 201);
        BenchClient user = admin.as("bench-user");
        BenchClient.expect(admin.send("POST", "/api/v1/namespaces/default/pods", Pods.pod("rbac-0", 0)), 201);
        String pod = "/api/v1/namespaces/default/pods/rbac-0";
        BenchClient.expect(user.send("GET", pod, null), 200);
        Latencies asAdmin = new Latencies();
        Latencies asUser = new Latencies();
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            BenchClient.expect(admin.send("GET", pod, null), 200);
            asAdmin.add(System.nanoTime() - t0);
            t0 = System.nanoTime();
            BenchClient.expect(user.send("GET", pod, null), 200);
            asUser.add(System.nanoTime() - t0);
        }
        int n = 20;
        ConsumedCapacityMeter.Totals adminCost = cost(n, () -> BenchClient.expect(admin.send("GET", pod, null), 200));
        ConsumedCapacityMeter.Totals userCost = cost(n, () -> BenchClient.expect(user.send("GET", pod, null), 200));
        ConsumedCapacityMeter.Totals afterWrite = cost(n, () -> {
            BenchClient.expect(admin.send("PATCH", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/bench-edit",
                    "{\"metadata\":{\"labels\":{\"round\":\"" + System.nanoTime() + "\"}}}",
                    "application/merge-patch+json"), 200);
            BenchClient.expect(user.send("GET", pod, null), 200);
        });
        ConsumedCapacityMeter.Totals patchOnly = cost(n, () -> BenchClient.expect(admin.send("PATCH",
                "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/bench-edit",
                "{\"metadata\":{\"labels\":{\"round\":\"" + System.nanoTime() + "\"}}}",
                "application/merge-patch+json"), 200));
        System.out.printf("%nRBAC: get pod by the admin (system:masters) and by a user with an edit RoleBinding, "
                + "%d samples each (ms):%n", samples);
        System.out.println("  operation         p50      p99");
        System.out.println(asAdmin.row("get (admin)"));
        System.out.println(asUser.row("get (RBAC)"));
        System.out.printf("  DynamoDB per get pod, admin: %.1f read units, %.1f calls; RBAC user: %.1f read units, "
                        + "%.1f calls%n", adminCost.readUnits() / n, (double) adminCost.calls() / n,
                userCost.readUnits() / n, (double) userCost.calls() / n);
        System.out.printf("  first RBAC request after a RoleBinding write (relists the rolebindings): %.1f read "
                        + "units, %.1f calls more than the write alone%n",
                (afterWrite.readUnits() - patchOnly.readUnits()) / n,
                (double) (afterWrite.calls() - patchOnly.calls()) / n);
    }

    private interface Step {
        void run() throws Exception;
    }

    private static ConsumedCapacityMeter.Totals cost(int times, Step step) throws Exception {
        ConsumedCapacityMeter.Totals before = ServerFactory.CAPACITY.totals();
        for (int i = 0; i < times; i++) {
            step.run();
        }
        return ServerFactory.CAPACITY.totals().minus(before);
    }

    private static void concurrent(BenchClient client, int writers, int seconds) throws Exception {
        ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();
        Latencies watchLatency = new Latencies();
        AtomicBoolean running = new AtomicBoolean(true);
        String resourceVersion = MAPPER.readTree(client.send("GET", "/api/v1/namespaces/default/pods?limit=1",
                null).body()).path("metadata").path("resourceVersion").asText();
        Thread watcher = Thread.ofVirtual().start(() -> {
            try {
                client.watch("/api/v1/namespaces/default/pods?watch=true&resourceVersion=" + resourceVersion, line -> {
                    long now = System.nanoTime();
                    try {
                        JsonNode event = MAPPER.readTree(line);
                        Long sent = sentAt.remove(event.path("object").path("metadata").path("name").asText());
                        if (sent != null && event.path("type").asText().equals("ADDED")) {
                            watchLatency.add(now - sent);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return running.get();
                });
            } catch (Exception e) {
                System.err.println("kumo bench: watch failed: " + e);
            }
        });
        Thread.sleep(500);
        Latencies createLatency = new Latencies();
        AtomicInteger counter = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    String name = "load-" + counter.incrementAndGet();
                    long t0 = System.nanoTime();
                    sentAt.put(name, t0);
                    try {
                        HttpResponse<String> response = client.send("POST", "/api/v1/namespaces/default/pods",
                                Pods.pod(name, 0));
                        createLatency.add(System.nanoTime() - t0);
                        if (response.statusCode() != 201) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Thread.sleep(2000);
        running.set(false);
        client.send("POST", "/api/v1/namespaces/default/pods", Pods.pod("stop-watch", 0));
        watcher.join(5000);
        System.out.printf("%n%d concurrent writers for %d s:%n", writers, seconds);
        System.out.printf("  pod creates: %d in %.1f s = %.0f writes/s (%d failed)%n", createLatency.count(), elapsed,
                createLatency.count() / elapsed, failures.get());
        System.out.println("  operation         p50      p99");
        System.out.println(createLatency.row("create pod"));
        System.out.println(watchLatency.row("write→watch"));
        System.out.printf("  watch events missing: %d%n", sentAt.size());
    }
}
