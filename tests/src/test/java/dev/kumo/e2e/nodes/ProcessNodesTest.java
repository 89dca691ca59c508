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
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local cluster with one {@code process} node (what {@code ./kumo up} falls back to without root or containerd),
 * through the real kubectl: a pod's command runs as a process of this host (Running, the node's address as its IP,
 * its output through {@code kubectl logs}), a container without a command waits in CreateContainerConfigError, and a
 * deleted pod's process ends. And the kubelet summary API as users and metrics-server reach it ({@code kubectl get
 * --raw /api/v1/nodes/<n>/proxy/stats/summary}): a pod spinning in a shell loop shows a CPU rate and a working set;
 * a user without {@code get nodes/proxy} is refused; discovery lists {@code nodes/proxy}. And {@code kubectl logs}
 * ({@code --previous} of a container that restarted, {@code --tail}, {@code --since}, {@code --timestamps},
 * {@code -f}); {@code kubectl exec} and {@code port-forward} fail with the process runtime's reason.
 */
class ProcessNodesTest {
    private static final Duration PODS = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUMMARY = "/api/v1/nodes/kumo-node-1/proxy/stats/summary";
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
        Path podDir = cluster.workDirectory().resolve("nodes/kumo-node-1/agent/pods")
                .resolve(ns + "_hello_" + hello.path("metadata").path("uid").asText());
        await("the pod's output", () -> kubectl.run("logs", "hello", "-n", ns).ok().out(),
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
        await("the pod's directory removed", () -> Files.exists(podDir), exists -> !exists);
    }

    @Test
    void kubectlLogsFollowsAndShowsThePreviousRunAndExecIsRefusedSayingWhy() throws Exception {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("logs");
        // the first run writes to both streams and fails after a second; the second ticks every second
        createPod(kubectl, ns, "ticker", """
                - name: c
                  image: ignored
                  command:
                  - sh
                  - -c
                  - n=$(cat runs 2>/dev/null || echo 0); n=$((n + 1)); echo $n > runs; echo run $n starts;
                    echo run $n to stderr >&2; if [ $n = 1 ]; then sleep 1; exit 1; fi;
                    i=0; while :; do i=$((i + 1)); echo run $n tick $i; sleep 1; done
                """);
        await("ticker restarted and Running", () -> pod(kubectl, ns, "ticker"), pod -> {
            JsonNode status = pod.path("status").path("containerStatuses").path(0);
            return status.path("restartCount").asInt() == 1 && status.path("state").has("running");
        });

        assertThat(kubectl.run("logs", "ticker", "-n", ns, "--previous").ok().lines())
                .as("--previous: the run that failed, stdout and stderr")
                .containsExactlyInAnyOrder("run 1 starts", "run 1 to stderr");
        await("the second run's ticks", () -> kubectl.run("logs", "ticker", "-n", ns).ok().lines(),
                lines -> lines.size() >= 4);
        List<String> current = kubectl.run("logs", "ticker", "-n", ns).ok().lines();
        assertThat(current).contains("run 2 starts", "run 2 to stderr", "run 2 tick 1").noneMatch(
                line -> line.startsWith("run 1"));
        List<String> tail = kubectl.run("logs", "ticker", "-n", ns, "--tail=1").ok().lines();
        assertThat(tail).singleElement().asString().startsWith("run 2 tick ");
        assertThat(kubectl.run("logs", "ticker", "-n", ns, "--since=1h").ok().lines()).contains("run 2 starts");
        List<String> timestamped = kubectl.run("logs", "ticker", "-n", ns, "--timestamps", "--tail=1").ok().lines();
        assertThat(timestamped).singleElement().asString().matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z run 2 tick \\d+");
        int ticked = Integer.parseInt(tail.get(0).substring("run 2 tick ".length()));
        try (Kubectl.Running follow = kubectl.start("logs", "ticker", "-n", ns, "-f", "--tail=1")) {
            // a tick written after -f began arrives while the container runs on
            String later = follow.awaitLine(line -> line.startsWith("run 2 tick ")
                    && Integer.parseInt(line.substring("run 2 tick ".length())) > ticked + 1, PODS);
            assertThat(later).startsWith("run 2 tick ");
        }

        Kubectl.Result exec = kubectl.run("exec", "ticker", "-n", ns, "--", "date").failed();
        // the node's refusal is a Status, which kubectl shows with its reason (a text would not survive kubectl)
        assertThat(exec.err()).contains("Error from server (BadRequest): the process runtime cannot exec: its "
                + "containers are plain processes of the node; run the command on the machine");
        Kubectl.Result forward = kubectl.run("port-forward", "-n", ns, "pod/ticker", "0:8080").failed();
        assertThat(forward.err()).contains("error upgrading connection: the process runtime cannot port-forward: its "
                + "pods listen on the node's own address; connect to the port on the machine");
        kubectl.run("delete", "pod", "ticker", "-n", ns, "--grace-period=1", "--wait=false").ok();
    }

    @Test
    void aBusyPodsUsageThroughKubectlGetRaw() throws Exception {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("stats");
        createPod(kubectl, ns, "busy", """
                [{name: spin, image: ignored, command: ["sh", "-c", "while :; do :; done"]}]
                """);
        String uid = JSON.readTree(kubectl.run("get", "pod", "busy", "-n", ns, "-o", "json").ok().out())
                .path("metadata").path("uid").asText();

        // the agent rates CPU between two samples of its sampler, 10 s apart
        JsonNode pod = await("a CPU rate of the busy pod", () -> summaryPod(kubectl, uid),
                seen -> seen.path("containers").path(0).path("cpu").path("usageNanoCores").asLong() > 0);
        System.out.println("process node stats summary of the busy pod: " + pod);
        JsonNode container = pod.path("containers").get(0);
        assertThat(pod.path("podRef").path("name").asText()).isEqualTo("busy");
        assertThat(pod.path("podRef").path("namespace").asText()).isEqualTo(ns);
        assertThat(container.path("name").asText()).isEqualTo("spin");
        assertThat(container.path("cpu").path("usageCoreNanoSeconds").asLong()).isPositive();
        assertThat(container.path("memory").path("workingSetBytes").asLong()).isPositive();
        assertThat(pod.path("cpu").path("usageNanoCores")).isEqualTo(container.path("cpu").path("usageNanoCores"));

        JsonNode summary = JSON.readTree(cluster.kubectl("1.28").run("get", "--raw", SUMMARY).ok().out());
        assertThat(summary.path("node").path("nodeName").asText()).isEqualTo("kumo-node-1");
        assertThat(summary.path("node").path("memory").path("workingSetBytes").asLong()).isPositive();
        assertThat(summary.path("node").path("fs").path("capacityBytes").asLong()).isPositive();
        assertThat(kubectl.run("get", "--raw", "/api/v1/nodes/kumo-node-1/proxy/healthz").ok().out().strip())
                .isEqualTo("ok");
        kubectl.run("delete", "pod", "busy", "-n", ns, "--grace-period=1", "--wait=false").ok(); // stop spinning
    }

    /**
     * Readiness as kube-proxy and Service clients see it: an exec readiness probe decides the pod's Ready condition,
     * and the Service's Endpoints and EndpointSlice follow it, both ways: not ready (notReadyAddresses, ready
     * false), ready once the probe passes, not ready again when it fails (with kubelet's Unhealthy event).
     */
    @Test
    void theEndpointsOfAServiceFollowItsPodsReadinessProbe() throws Exception {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("ready");
        Path gate = Files.createTempDirectory("kumo-readiness").resolve("ready");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: gated, namespace: %1$s, labels: {app: gated}}
                spec:
                  containers:
                  - name: c
                    image: ignored
                    command: ["sleep", "300"]
                    readinessProbe:
                      exec: {command: ["test", "-f", "%2$s"]}
                      periodSeconds: 1
                      failureThreshold: 1
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: gated, namespace: %1$s}
                spec:
                  selector: {app: gated}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                """.formatted(ns, gate), "apply", "-f", "-").ok();

        await("gated Running and not Ready", () -> pod(kubectl, ns, "gated"), pod ->
                pod.path("status").path("phase").asText().equals("Running") && !ready(pod));
        JsonNode subset = await("the pod among the not-ready addresses", () -> endpointsSubset(kubectl, ns),
                seen -> seen.path("notReadyAddresses").size() == 1);
        assertThat(subset.path("addresses").size()).isZero();
        assertThat(subset.path("notReadyAddresses").get(0).path("targetRef").path("name").asText())
                .isEqualTo("gated");
        assertThat(sliceEndpointReady(kubectl, ns)).isEqualTo("false");

        Files.writeString(gate, "");
        await("gated Ready", () -> pod(kubectl, ns, "gated"), ProcessNodesTest::ready);
        subset = await("the pod among the ready addresses", () -> endpointsSubset(kubectl, ns),
                seen -> seen.path("addresses").size() == 1);
        assertThat(subset.path("notReadyAddresses").size()).isZero();
        assertThat(subset.path("addresses").get(0).path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(subset.path("ports").get(0).path("port").asInt()).isEqualTo(8080);
        await("the slice's endpoint ready", () -> sliceEndpointReady(kubectl, ns), "true"::equals);

        Files.delete(gate);
        await("gated not Ready again", () -> pod(kubectl, ns, "gated"), pod -> !ready(pod));
        await("the pod back among the not-ready addresses", () -> endpointsSubset(kubectl, ns),
                seen -> seen.path("notReadyAddresses").size() == 1 && seen.path("addresses").size() == 0);
        await("the slice's endpoint not ready", () -> sliceEndpointReady(kubectl, ns), "false"::equals);
        assertThat(kubectl.run("get", "events", "-n", ns, "--field-selector", "reason=Unhealthy", "-o",
                "jsonpath={.items[*].message}").ok().out()).contains("Readiness probe failed");
        kubectl.run("delete", "pod", "gated", "-n", ns, "--grace-period=1", "--wait=false").ok();
    }

    private static boolean ready(JsonNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                return condition.path("status").asText().equals("True");
            }
        }
        return false;
    }

    private static JsonNode endpointsSubset(Kubectl kubectl, String ns) throws Exception {
        return JSON.readTree(kubectl.run("get", "endpoints", "gated", "-n", ns, "-o", "json").ok().out())
                .path("subsets").path(0);
    }

    private static String sliceEndpointReady(Kubectl kubectl, String ns) {
        return kubectl.run("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=gated", "-o",
                "jsonpath={.items[0].endpoints[0].conditions.ready}").ok().out().strip();
    }

    @Test
    void aPlainUserIsForbiddenAndAnUnknownNodeIsNotFound() {
        Kubectl kubectl = cluster.kubectl("1.32");
        Kubectl.Result forbidden = kubectl.run("get", "--raw", SUMMARY, "--as=jane").failed();
        assertThat(forbidden.err()).contains("Forbidden").contains("cannot get resource \"nodes/proxy\"");
        Kubectl.Result unknown = kubectl.run("get", "--raw", "/api/v1/nodes/nope/proxy/stats/summary").failed();
        assertThat(unknown.err()).contains("NotFound");
    }

    @Test
    void discoveryListsNodesProxy() throws Exception {
        JsonNode resources = JSON.readTree(cluster.kubectl("1.32").run("get", "--raw", "/api/v1").ok().out())
                .path("resources");
        boolean listed = false;
        for (JsonNode resource : resources) {
            listed |= resource.path("name").asText().equals("nodes/proxy");
        }
        assertThat(listed).as(resources.toString()).isTrue();
    }

    /** A pod with {@code containers} (YAML, a flow or a block list at the start of a line). */
    private static void createPod(Kubectl kubectl, String ns, String name, String containers) {
        String indented = containers.strip().startsWith("[") ? " " + containers.strip()
                : "\n" + containers.stripTrailing().indent(4).stripTrailing();
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s}
                spec:
                  containers:%s
                """.formatted(name, ns, indented), "apply", "-f", "-").ok();
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

    private static JsonNode summaryPod(Kubectl kubectl, String uid) throws Exception {
        for (JsonNode pod : JSON.readTree(kubectl.run("get", "--raw", SUMMARY).ok().out()).path("pods")) {
            if (pod.path("podRef").path("uid").asText().equals(uid)) {
                return pod;
            }
        }
        return JSON.createObjectNode();
    }

    @FunctionalInterface
    private interface Probe<T> {
        T get() throws Exception;
    }
}
