package dev.kumo.node.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.pods.PodEvents;
import dev.kumo.node.pods.RuntimeContainer;
import dev.kumo.node.pods.RuntimePod;
import dev.kumo.node.probes.ProbeActions;
import dev.kumo.node.probes.ProbeManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Probes and hooks on the process runtime, with real processes of the host (sh, busybox httpd): an exec readiness
 * probe, a tcpSocket readiness probe, an httpGet liveness probe that fails and restarts the container, and a preStop
 * hook that runs before SIGTERM; synced as the agent's pod sync does (runtime, then probes).
 */
class ProcessProbesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path state;
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final PodEvents recorded = new PodEvents() {
        @Override
        public void pod(JsonNode pod, String type, String reason, String message) {
            events.add(reason + ": " + message);
        }

        @Override
        public void container(JsonNode pod, String container, String type, String reason, String message) {
            events.add(reason + ": " + message);
        }
    };
    private ProcessRuntime runtime;
    private ProbeManager probes;

    @AfterEach
    void close() {
        if (probes != null) {
            probes.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private void start() {
        runtime = new ProcessRuntime("127.0.0.1", state, Clock.systemUTC(), recorded);
        probes = new ProbeManager(new ProbeActions(runtime.containerExec().orElseThrow()), recorded,
                Clock.systemUTC(), key -> { });
    }

    @Test
    void execAndTcpReadinessProbesMakeTheContainersReadyOnlyOnceTheySucceed() throws Exception {
        start();
        int port = freePort();
        ObjectNode pod = pod("""
                "containers": [
                  {"name": "file", "image": "ignored", "command": ["sh", "-c", "sleep 2; touch ready; exec sleep 60"],
                   "readinessProbe": {"exec": {"command": ["test", "-f", "ready"]}, "periodSeconds": 1}},
                  {"name": "port", "image": "ignored",
                   "command": ["sh", "-c", "sleep 2; exec busybox httpd -f -p 127.0.0.1:%d -h ."],
                   "readinessProbe": {"tcpSocket": {"port": %d}, "periodSeconds": 1}}]""".formatted(port, port));
        RuntimePod running = sync(pod, p -> p.containers().size() == 2 && p.containers().stream()
                .allMatch(c -> c.state() == RuntimeContainer.State.RUNNING));
        assertThat(running.containers()).allSatisfy(c -> assertThat(c.ready()).as(c.name()).isFalse());
        RuntimePod ready = sync(pod, p -> p.containers().stream().allMatch(RuntimeContainer::ready));
        assertThat(ready.containers()).allSatisfy(c -> assertThat(c.restartCount()).isZero());
        assertThat(events).contains("Unhealthy: Readiness probe failed: dial tcp 127.0.0.1:" + port
                + ": connect: connection refused");
    }

    @Test
    void aFailingHttpLivenessProbeRestartsTheContainerAfterItsPreStopHook() throws Exception {
        start();
        int port = freePort();
        ObjectNode pod = pod("""
                "terminationGracePeriodSeconds": 5,
                "containers": [{"name": "web", "image": "ignored",
                  "command": ["busybox", "httpd", "-f", "-p", "127.0.0.1:%d", "-h", "."],
                  "livenessProbe": {"httpGet": {"path": "/healthz", "port": %d}, "periodSeconds": 1,
                                    "failureThreshold": 2},
                  "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "echo stopping >> hook.log"]}}}}]"""
                .formatted(port, port));
        RuntimePod restarted = sync(pod, p -> !p.containers().isEmpty()
                && p.containers().get(0).restartCount() >= 1);
        assertThat(restarted.containers().get(0).lastTermination()).isNotNull();
        assertThat(events).contains("Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 404",
                "Killing: Container web failed liveness probe, will be restarted");
        Path root = state.resolve("pods").resolve("default_web_" + pod.path("metadata").path("uid").asText())
                .resolve("root");
        assertThat(Files.readString(root.resolve("hook.log"))).startsWith("stopping\n");
    }

    /** The agent's pod sync: the runtime, the containers a failed probe kills, the probes' flags; until done. */
    private RuntimePod sync(ObjectNode pod, Predicate<RuntimePod> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            RuntimePod state = runtime.sync(pod);
            List<ProbeManager.Unhealthy> unhealthy = probes.unhealthy(pod, state);
            for (ProbeManager.Unhealthy container : unhealthy) {
                runtime.killContainer(pod, container.container(), container.message(), Duration.ofSeconds(5));
            }
            if (!unhealthy.isEmpty()) {
                state = runtime.sync(pod);
            }
            state = probes.update(pod, state);
            if (done.test(state)) {
                return state;
            }
            assertThat(System.nanoTime()).as("waiting for the pod; last seen %s; events %s", state, events)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static ObjectNode pod(String spec) throws IOException {
        return (ObjectNode) JSON.readTree("""
                {"metadata": {"name": "web", "namespace": "default", "uid": "%s"},
                 "spec": {%s}, "status": {"phase": "Running"}}""".formatted(UUID.randomUUID(), spec));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
