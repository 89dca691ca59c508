package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiWatchEvent;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.client.WatchConnection;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.status.Conditions;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.testing.NodeTestCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.kumo.controllers.testing.TestCluster.object;

/**
 * Pod startup latency on one node with the cri runtime: created → Running and created → Ready as a watch sees
 * them, p50 and p99 for batches of 1, 10 and 30 pods (busybox {@code sleep}, image present: no pull), on a private
 * containerd, with the API in the same JVM. A main, not a test: timings depend on the machine.
 *
 * <p>Run as root after {@code mvn -o -q -pl node-agent -am test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test} with a JDK 21+:
 * {@code java -cp node-agent/target/classes:node-agent/target/test-classes:$(cat node-agent/target/test.classpath)
 * dev.kumo.node.cri.CriPodStartupBenchmark}
 */
public final class CriPodStartupBenchmark {
    private CriPodStartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (CriTestNode node = CriTestNode.start(); NodeTestCluster cluster = new NodeTestCluster();
             NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "bench-1")) {
            KubeClient admin = cluster.admin();
            run(admin, "warm-up", 3); // the JIT and containerd's first sandbox
            System.out.println("pods  running p50 ms  running p99 ms  ready p50 ms  ready p99 ms");
            for (int pods : new int[] {1, 10, 30}) {
                List<long[]> latencies = run(admin, "batch-" + pods, pods);
                List<Long> running = new ArrayList<>();
                List<Long> ready = new ArrayList<>();
                latencies.forEach(l -> {
                    running.add(l[0]);
                    ready.add(l[1]);
                });
                System.out.printf(Locale.ROOT, "%4d  %14d  %14d  %12d  %12d%n", pods, percentile(running, 50),
                        percentile(running, 99), percentile(ready, 50), percentile(ready, 99));
            }
            System.out.println("JVM (API server, DynamoDB Local and the agent) RSS: " + rssKib() / 1024 + " MiB");
        }
        System.exit(0); // everything is closed; the in-process API's pools would keep the JVM up a while
    }

    /** Creates {@code count} pods at once; returns each one's {created → Running, created → Ready} in ms. */
    private static List<long[]> run(KubeClient admin, String batch, int count) throws Exception {
        Map<String, Long> created = new ConcurrentHashMap<>();
        Map<String, Long> running = new ConcurrentHashMap<>();
        Map<String, Long> ready = new ConcurrentHashMap<>();
        String resourceVersion = admin.listWithVersion(ResourceType.PODS, "default", "batch=" + batch, "")
                .resourceVersion();
        WatchConnection watch = admin.watch(ResourceType.PODS, "default", "batch=" + batch, "", resourceVersion,
                300);
        Thread watcher = Thread.ofVirtual().start(() -> {
            try {
                for (ApiWatchEvent event = watch.next(); event != null; event = watch.next()) {
                    long now = System.nanoTime();
                    ObjectNode pod = event.object();
                    if ("Running".equals(pod.path("status").path("phase").asText())) {
                        running.putIfAbsent(Meta.name(pod), now);
                    }
                    if (Conditions.status(pod, "Ready").equals("True")) {
                        ready.putIfAbsent(Meta.name(pod), now);
                    }
                }
            } catch (IOException e) {
                // closed at the end of the batch
            }
        });
        for (int i = 0; i < count; i++) {
            String name = batch + "-" + i;
            created.put(name, System.nanoTime());
            admin.create(ResourceType.PODS, "default", object("""
                    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s", "labels": {"batch": "%s"}},
                     "spec": {"nodeName": "bench-1", "terminationGracePeriodSeconds": 0,
                              "containers": [{"name": "c", "image": "kumo.local/busybox:latest",
                                              "imagePullPolicy": "IfNotPresent", "command": ["sleep", "3600"]}]}}"""
                    .formatted(name, batch)));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (ready.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        watch.close();
        watcher.interrupt();
        if (ready.size() < count) {
            throw new IllegalStateException(batch + ": only " + ready.size() + " of " + count + " pods got ready");
        }
        List<long[]> latencies = new ArrayList<>();
        created.forEach((name, at) -> latencies.add(new long[] {(running.get(name) - at) / 1_000_000,
                (ready.get(name) - at) / 1_000_000}));
        for (String name : created.keySet()) {
            admin.delete(ResourceType.PODS, "default", name, admin.mapper().createObjectNode());
        }
        while (!admin.list(ResourceType.PODS, "default", "batch=" + batch, "").isEmpty()) {
            Thread.sleep(50);
        }
        return latencies;
    }

    private static long percentile(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
