package dev.kumo.e2e.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.local.NodeRuntimeChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local cluster with one {@code process} node (what {@code ./kumo up} falls back to without root or containerd),
 * through the real kubectl: a pod's command runs as a process of this host (Running, the node's address as its IP,
 * its output in the node's pod directory), a container without a command waits in CreateContainerConfigError, and a
 * deleted pod's process ends.
 */
class ProcessNodesTest {
    private static final Duration PODS = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KumoCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = KumoCluster.start(1, NodeRuntimeChoice.PROCESS);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPodsCommandRunsAsAProcessAndAnImageAloneCannot() throws Exception {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("process");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hello, namespace: %1$s}
                spec:
                  containers:
                  - {name: c, image: ignored, command: ["sh", "-c", "echo hello from $(POD); exec sleep 300"],
                     env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: image-only, namespace: %1$s}
                spec:
                  containers: [{name: c, image: "nginx:1.27"}]
                """.formatted(ns), "apply", "-f", "-").ok();
        JsonNode hello = await("hello Running", () -> pod(kubectl, ns, "hello"),
                pod -> pod.path("status").path("phase").asText().equals("Running"));
        assertThat(hello.path("status").path("podIP").asText()).isEqualTo("127.0.0.1");
        String containerId = hello.path("status").path("containerStatuses").get(0).path("containerID").asText();
        assertThat(containerId).startsWith("process://");
        long pid = Long.parseLong(containerId.substring("process://".length()));
        assertThat(ProcessHandle.of(pid)).as("the container's process").isPresent();
        Path log = cluster.workDirectory().resolve("nodes/kumo-node-1/agent/pods")
                .resolve(ns + "_hello_" + hello.path("metadata").path("uid").asText()).resolve("c/0.log");
        await("the pod's output", () -> Files.exists(log) ? Files.readString(log) : "",
                text -> text.equals("hello from hello\n"));

        JsonNode imageOnly = await("image-only waiting", () -> pod(kubectl, ns, "image-only"),
                pod -> pod.path("status").path("containerStatuses").path(0).path("state").has("waiting"));
        JsonNode waiting = imageOnly.path("status").path("containerStatuses").get(0).path("state").path("waiting");
        assertThat(waiting.path("reason").asText()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.path("message").asText())
                .isEqualTo("the process runtime runs no images: container c needs a command");

        kubectl.run("delete", "pod", "hello", "-n", ns, "--grace-period=5", "--timeout=60s").ok();
        await("the process ended", () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                alive -> !alive);
        Path podDir = log.getParent().getParent();
        await("the pod's directory removed", () -> Files.exists(podDir), exists -> !exists);
    }

    private static JsonNode pod(Kubectl kubectl, String ns, String name) throws Exception {
        return JSON.readTree(kubectl.run("get", "pod", name, "-n", ns, "-o", "json").ok().out());
    }

    private static <T> T await(String what, Probe<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + PODS.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            assertThat(System.nanoTime()).as("waiting for %s; last seen %s", what, last).isLessThan(deadline);
            Thread.sleep(500);
            last = probe.get();
        }
        return last;
    }

    @FunctionalInterface
    private interface Probe<T> {
        T get() throws Exception;
    }
}
