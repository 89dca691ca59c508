package dev.kumo.node.probes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.node.pods.PodEvents;
import dev.kumo.node.pods.RuntimeContainer;
import dev.kumo.node.pods.RuntimePod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe worker's state machine (the kubelet's {@code worker.doProbe}) driven step by step with a clock the test
 * moves, probing a real HTTP server and real sockets on loopback: initial results, thresholds, the initial delay,
 * startup gating, holding after a liveness failure until a new container, and the end of probing.
 */
class ProbeWorkerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-24T06:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> changes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger status = new AtomicInteger(503);
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> userAgents = Collections.synchronizedList(new ArrayList<>());
    private final ProbeResults results = new ProbeResults(changes::add);
    private HttpServer server;
    private int port;
    private volatile PodSnapshot snapshot;

    /** Events as the kubelet's recorder would get them, kept to look at. */
    private final PodEvents recorded = new PodEvents() {
        @Override
        public void pod(JsonNode pod, String type, String reason, String message) {
            events.add(type + " " + reason + " " + message);
        }

        @Override
        public void container(JsonNode pod, String container, String type, String reason, String message) {
            events.add(type + " " + reason + " " + container + ": " + message);
        }
    };

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/healthz", exchange -> {
            requests.incrementAndGet();
            userAgents.add(exchange.getRequestHeaders().getFirst("User-Agent"));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readinessStartsFailingAndNeedsSuccessThresholdSuccessesInARow() throws Exception {
        ProbeWorker worker = worker(ProbeType.READINESS, """
                {"httpGet": {"path": "/healthz", "port": "http"}, "successThreshold": 2, "failureThreshold": 1}""");
        running("c1", START, true);

        assertThat(worker.doProbe()).isTrue();
        assertThat(results.get("test://c1")).contains(ProbeResult.FAILURE);
        assertThat(events).containsExactly(
                "Warning Unhealthy web: Readiness probe failed: HTTP probe failed with statuscode: 503");

        status.set(200);
        worker.doProbe();
        assertThat(results.get("test://c1")).as("one success of two").contains(ProbeResult.FAILURE);
        worker.doProbe();
        assertThat(results.get("test://c1")).contains(ProbeResult.SUCCESS);
        assertThat(changes).as("initial result, then the change to success").containsExactly("default/p", "default/p");

        status.set(500);
        worker.doProbe();
        assertThat(results.get("test://c1")).as("failureThreshold 1").contains(ProbeResult.FAILURE);
        assertThat(requests.get()).isEqualTo(4);
        assertThat(userAgents).containsOnly("kube-probe/1.32");
        assertThat(ProbeActions.userAgent("v1.33.2")).isEqualTo("kube-probe/1.33");
    }

    @Test
    void livenessFailsAfterFailureThresholdThenHoldsUntilANewContainer() throws Exception {
        int closed = closedPort();
        ProbeWorker worker = worker(ProbeType.LIVENESS, """
                {"tcpSocket": {"port": %d}, "failureThreshold": 3}""".formatted(closed));
        running("c1", START, true);

        worker.doProbe();
        worker.doProbe();
        assertThat(results.get("test://c1")).as("two failures of three: still alive").contains(ProbeResult.SUCCESS);
        worker.doProbe();
        assertThat(results.get("test://c1")).contains(ProbeResult.FAILURE);
        assertThat(events).hasSize(3).allMatch(e -> e.equals("Warning Unhealthy web: Liveness probe failed: dial tcp "
                + "127.0.0.1:" + closed + ": connect: connection refused"));

        worker.doProbe();
        assertThat(events).as("on hold: the container is about to be killed").hasSize(3);

        running("c2", START, true); // the killed container's replacement
        worker.doProbe();
        assertThat(results.get("test://c1")).as("the old container's result is gone").isEmpty();
        assertThat(results.get("test://c2")).as("a new container starts alive").contains(ProbeResult.SUCCESS);
        assertThat(events).as("probing resumed for the new container").hasSize(4);
    }

    @Test
    void nothingRunsBeforeTheInitialDelay() throws Exception {
        status.set(200);
        ProbeWorker worker = worker(ProbeType.READINESS, """
                {"httpGet": {"path": "/healthz", "port": %d}, "initialDelaySeconds": 10}""".formatted(port));
        running("c1", START, true);
        clock.set(START.plusSeconds(9));
        worker.doProbe();
        assertThat(requests.get()).isZero();
        assertThat(results.get("test://c1")).contains(ProbeResult.FAILURE);

        clock.set(START.plusSeconds(10));
        worker.doProbe();
        assertThat(requests.get()).isEqualTo(1);
        assertThat(results.get("test://c1")).contains(ProbeResult.SUCCESS);
    }

    @Test
    void theStartupProbeGatesTheOthersAndEndsOnceStarted() throws Exception {
        status.set(200);
        String probe = """
                {"httpGet": {"path": "/healthz", "port": %d}}""".formatted(port);
        ProbeWorker startup = worker(ProbeType.STARTUP, probe);
        ProbeWorker liveness = worker(ProbeType.LIVENESS, probe);
        running("c1", START, false);

        liveness.doProbe();
        assertThat(requests.get()).as("liveness waits for the container to start").isZero();
        startup.doProbe();
        assertThat(requests.get()).isEqualTo(1);
        assertThat(results.get("test://c1")).contains(ProbeResult.SUCCESS);

        running("c1", START, true); // the manager's next sync marks it started
        startup.doProbe();
        assertThat(requests.get()).as("the startup probe is done").isEqualTo(1);
        liveness.doProbe();
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void probingEndsForAPodBeingDeletedAndAContainerThatWillNotRunAgain() throws Exception {
        status.set(200);
        ProbeWorker liveness = worker(ProbeType.LIVENESS, """
                {"httpGet": {"path": "/healthz", "port": %d}}""".formatted(port));
        running("c1", START, true);
        ObjectNode deleting = pod("Always");
        ((ObjectNode) deleting.path("metadata")).put("deletionTimestamp", "2026-11-24T06:01:00Z");
        snapshot = new PodSnapshot(deleting, snapshot.state());
        assertThat(liveness.doProbe()).isFalse();
        assertThat(requests.get()).isZero();

        ProbeWorker readiness = worker(ProbeType.READINESS, """
                {"httpGet": {"path": "/healthz", "port": %d}}""".formatted(port));
        RuntimeContainer ended = RuntimeContainer.terminated("web", "img", "", "test://c9", 0, START,
                START.plusSeconds(1), 1, false);
        snapshot = new PodSnapshot(pod("Never"), new RuntimePod(true, List.of("127.0.0.1"), List.of(),
                List.of(ended)));
        assertThat(readiness.doProbe()).as("restartPolicy Never: it will not run again").isFalse();
        assertThat(results.get("test://c9")).contains(ProbeResult.FAILURE);
    }

    @Test
    void anExecProbeRunsTheCommandThroughTheRuntime() throws Exception {
        List<List<String>> ran = new ArrayList<>();
        ProbeActions actions = new ProbeActions((id, command, timeout) -> {
            ran.add(command);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            return new ContainerExec.Result(process.waitFor(), output, false);
        });
        ProbeTarget target = new ProbeTarget(pod("Always"), container(), "127.0.0.1", "test://c1");
        ProbeOutcome failing = actions.run(JSON.readTree("""
                {"exec": {"command": ["sh", "-c", "echo not yet; exit 1"]}}"""), target, Duration.ofSeconds(1));
        assertThat(failing).isEqualTo(ProbeOutcome.failure("not yet\n"));
        assertThat(actions.run(JSON.readTree("""
                {"exec": {"command": ["true"]}}"""), target, Duration.ofSeconds(1)).result())
                .isEqualTo(ProbeResult.SUCCESS);
        assertThat(ran).hasSize(2);
        assertThat(actions.run(JSON.readTree("""
                {"httpGet": {"port": "missing"}}"""), target, Duration.ofSeconds(1)))
                .isEqualTo(ProbeOutcome.error("couldn't find port: missing in web"));
    }

    private ProbeWorker worker(ProbeType type, String probe) throws IOException {
        return new ProbeWorker(type, ProbeSpec.of(JSON.readTree(probe)), container(), "default/p", () -> snapshot,
                results, new ProbeActions((id, command, timeout) -> {
                    throw new IllegalStateException("no exec here");
                }), recorded, clock);
    }

    private JsonNode container() throws IOException {
        return JSON.readTree("""
                {"name": "web", "image": "img", "ports": [{"name": "http", "containerPort": %d}]}""".formatted(port));
    }

    private void running(String id, Instant startedAt, boolean started) {
        RuntimeContainer container = RuntimeContainer.running("web", "img", "", "test://" + id, 0, startedAt, true)
                .withProbeResults(true, started);
        snapshot = new PodSnapshot(pod("Always"), new RuntimePod(true, List.of("127.0.0.1"), List.of(),
                List.of(container)));
    }

    private static ObjectNode pod(String restartPolicy) {
        ObjectNode pod = JSON.createObjectNode();
        pod.putObject("metadata").put("name", "p").put("namespace", "default").put("uid", "u1");
        pod.putObject("spec").put("restartPolicy", restartPolicy);
        pod.putObject("status").put("phase", "Running");
        return pod;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
