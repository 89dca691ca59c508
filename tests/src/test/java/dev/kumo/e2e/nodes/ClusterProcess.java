package dev.kumo.e2e.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.local.NodeRuntimeChoice;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local cluster's Main as a process of its own, as {@code ./kumo up} runs it, for the suites of real (cri) nodes,
 * with what they poll it with. A suite gives it its own node network ({@code --node-network}) so that it can run
 * beside a {@code ./kumo up} and beside the other suites.
 */
final class ClusterProcess {
    private static final Duration START = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterProcess() {
    }

    /** A busybox pod in namespace default that sleeps for an hour on node {@code node}. */
    static String sleepingPod(String name, String node) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: default}
                spec:
                  nodeSelector: {kubernetes.io/hostname: %s}
                  containers: [{name: c, image: kumo.local/busybox:latest, command: ["sleep", "3600"]}]
                """.formatted(name, node);
    }

    /**
     * A Deployment of busybox httpd pods that answer with their own name, labelled {@code app: <name>}, with
     * {@code podSpec} and {@code container} (one line of flow YAML each, or empty) added to the pod and its container.
     */
    static String httpdDeployment(String name, int replicas, String podSpec, String container) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: default}
                spec:
                  replicas: %2$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      %3$s
                      containers:
                      - name: httpd
                        image: kumo.local/busybox:latest
                        command: ["sh", "-c", "hostname > /var/www/index.html; exec httpd -f -vv -p 80 -h /var/www"]
                        %4$s
                """.formatted(name, replicas, podSpec, container);
    }

    /** Skips the suite where this host cannot run cri nodes; under CI, where it must, fails it instead. */
    static void requireCri() throws IOException {
        List<String> missing = NodeRuntimeChoice.missingForCri();
        if (!missing.isEmpty()) {
            String message = "cri nodes need: " + String.join(", ", missing);
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
    }

    /**
     * Starts Main on {@code home} and 127.0.0.1:{@code port} with {@code args} added, its output in {@code log}, and
     * waits until it says "API ready"; records its pid where {@code ./kumo image load} and {@code down} look.
     */
    static Process launch(Path home, int port, Path log, String... args) throws Exception {
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.kumo.local.Main", "--home", home.toString(), "--listen", "127.0.0.1:" + port, "--ephemeral"));
        command.addAll(List.of(args));
        // the surefire class path holds local-cluster and everything it needs
        Process cluster = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Files.writeString(home.resolve("kumo.pid"), cluster.pid() + "\n");
        await(START, "the cluster to say 'API ready' in " + log, () -> {
            assertThat(cluster.isAlive()).as("the cluster runs; its log:\n%s", read(log)).isTrue();
            return read(log).contains("kumo: API ready");
        });
        System.out.printf("kumo up %s: API ready in %.1f s%n", String.join(" ", args),
                (System.nanoTime() - started) / 1e9);
        return cluster;
    }

    /** SIGTERM (the cluster removes its nodes' network and containerds itself), SIGKILL if it does not end. */
    static void stop(Process cluster) throws InterruptedException {
        if (cluster != null && cluster.isAlive()) {
            cluster.destroy();
            if (!cluster.waitFor(60, TimeUnit.SECONDS)) {
                cluster.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Removes the cluster's home, without following a mount left in it. */
    static void removeHome(Path home) throws IOException, InterruptedException {
        if (home != null) {
            new ProcessBuilder("rm", "-rf", "--one-file-system", home.toString()).inheritIO().start().waitFor();
        }
    }

    /** containerds and shims of the cluster's nodes (their command lines name its home). */
    static List<ProcessHandle> processesNaming(Path home) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(p -> p.info().arguments().map(args -> String.join(" ", args))
                            .filter(line -> line.contains(home.toString()) && !line.contains("dev.kumo.local.Main"))
                            .isPresent())
                    .toList();
        }
    }

    /** Pods Running and Ready (by name) with their nodes, in namespace default, matching {@code selector}. */
    static Map<String, String> readyPods(Kubectl kubectl, String selector) {
        List<String> args = new ArrayList<>(List.of("get", "pods", "-o", "json"));
        if (!selector.isEmpty()) {
            args.addAll(List.of("-l", selector));
        }
        Map<String, String> ready = new HashMap<>();
        try {
            for (JsonNode pod : JSON.readTree(kubectl.run(args.toArray(String[]::new)).ok().out()).path("items")) {
                boolean isReady = false;
                for (JsonNode condition : pod.path("status").path("conditions")) {
                    isReady |= condition.path("type").asText().equals("Ready")
                            && condition.path("status").asText().equals("True");
                }
                if (isReady && pod.path("status").path("phase").asText().equals("Running")) {
                    ready.put(pod.path("metadata").path("name").asText(), pod.path("spec").path("nodeName").asText());
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return ready;
    }

    /** Runs a command of this host; its output, standard error included. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Asks {@code probe} once a second until it gives a non-null, non-false value, or fails after {@code timeout}. */
    static <T> T await(Duration timeout, String what, ThrowingSupplier<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(1000);
        }
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
