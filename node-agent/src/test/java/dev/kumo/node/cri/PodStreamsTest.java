package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.kubelet.KubeletApi;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.testing.NodeTestCluster;
import dev.kumo.node.testing.PodWaits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs, exec and port-forward of real containerd containers, through the API server and the node agent's kubelet
 * endpoint, with raw HTTP, a WebSocket client and the real kubectl: logs of a container that echoes, of its previous
 * run after a restart, and followed as lines come; exec returning output and exit code; port-forward to httpd;
 * RBAC and the endpoint's own authentication.
 */
@Tag("containerd")
class PodStreamsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static NodeTestCluster cluster;
    private static KubeClient admin;
    private static CriTestNode node;
    private static NodeAgent agent;
    private static Path kubeconfig;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        node = CriTestNode.start();
        cluster = new NodeTestCluster();
        admin = cluster.admin();
        agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-streams", true);
        kubeconfig = Files.createTempFile("kumo-streams-", ".kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: t, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: t, user: {token: "%s"}}]
                contexts: [{name: t, context: {cluster: t, user: t, namespace: default}}]
                current-context: t
                """.formatted(cluster.tlsServer(), cluster.adminToken()));
        createPod("web", "Always", """
                {"name": "web", "image": "kumo.local/busybox:latest", "imagePullPolicy": "IfNotPresent",
                 "command": ["sh", "-c", "mkdir -p /www && echo hello from web > /www/index.html && exec httpd -f -p 8080 -h /www"]}""");
        PodWaits.await(admin, "web", PodStreamsTest::running, Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (node != null) {
            node.close();
        }
        if (kubeconfig != null) {
            Files.deleteIfExists(kubeconfig);
        }
    }

    @Test
    void theNodeReportsItsKubeletEndpointAndCertificate() {
        ObjectNode registered = admin.get(ResourceType.NODES, "", "cri-streams").orElseThrow();
        int port = registered.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt();
        assertThat(port).isEqualTo(agent.kubeletServer().orElseThrow().port()).isPositive();
        assertThat(registered.path("metadata").path("annotations").path(KubeletApi.SERVING_CERTIFICATE_ANNOTATION)
                .asText()).isEqualTo(agent.kubeletServer().orElseThrow().certificateSha256());
    }

    @Test
    void logsOfTheCurrentAndThePreviousRunAfterARestart() throws Exception {
        createPod("talker", "Always", """
                {"name": "talker", "image": "kumo.local/busybox:latest", "imagePullPolicy": "IfNotPresent",
                 "command": ["sh", "-c", "echo run $(cat /proc/sys/kernel/random/uuid); echo hello; sleep 2; exit 1"]}""");
        PodWaits.await(admin, "talker", pod -> restartCount(pod) >= 1 && running(pod), Duration.ofSeconds(90));
        String current = get("/api/v1/namespaces/default/pods/talker/log", 200);
        String previous = get("/api/v1/namespaces/default/pods/talker/log?previous=true", 200);
        assertThat(current).matches("run [0-9a-f-]{36}\nhello\n");
        assertThat(previous).matches("run [0-9a-f-]{36}\nhello\n").isNotEqualTo(current);
        assertThat(get("/api/v1/namespaces/default/pods/talker/log?tailLines=1", 200)).isEqualTo("hello\n");
        assertThat(get("/api/v1/namespaces/default/pods/talker/log?timestamps=true&limitBytes=11", 200))
                .matches("\\d{4}-\\d\\d-\\d\\dT");

        Result kubectl = kubectl("1.32", Duration.ofSeconds(30), "logs", "talker", "--previous");
        assertThat(kubectl.exitCode()).as(kubectl.stderr()).isZero();
        assertThat(kubectl.stdout()).isEqualTo(previous);

        String web = get("/api/v1/namespaces/default/pods/web/log?previous=true", 400);
        assertThat(MAPPER.readTree(web).path("message").asText())
                .isEqualTo("previous terminated container \"web\" in pod \"web\" not found");
        assertThat(MAPPER.readTree(get("/api/v1/namespaces/default/pods/web/log?container=nope", 400))
                .path("message").asText()).isEqualTo("container nope is not valid for pod web");
        assertThat(get("/api/v1/namespaces/default/pods/web/log?tailLines=-1", 422)).contains("tailLines");
    }

    @Test
    void followStreamsLinesAsTheyComeAndEndsWithTheContainer() throws Exception {
        createPod("counter", "Never", """
                {"name": "counter", "image": "kumo.local/busybox:latest", "imagePullPolicy": "IfNotPresent",
                 "command": ["sh", "-c", "sleep 1; for i in 1 2 3 4 5; do echo line $i; sleep 1; done"]}""");
        PodWaits.await(admin, "counter", PodStreamsTest::running, Duration.ofSeconds(90));
        HttpResponse<InputStream> response = HTTP.send(request("/api/v1/namespaces/default/pods/counter/log"
                + "?follow=true").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
                arrivals.add(System.nanoTime());
            }
        }
        long ended = System.nanoTime();
        assertThat(lines).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
        // streamed as written (a second apart), not collected until the container ended
        assertThat(Duration.ofNanos(ended - arrivals.get(0))).isGreaterThan(Duration.ofMillis(2500));
        System.out.printf("follow: first line %d ms before the stream ended%n", (ended - arrivals.get(0)) / 1_000_000);
    }

    @Test
    void execOverWebSocketReturnsOutputAndExitCode() throws Exception {
        String query = "command=sh&command=-c&command=" + URLEncoder.encode("echo hi; echo oops >&2; exit 3",
                StandardCharsets.UTF_8) + "&stdout=true&stderr=true";
        Channels channels = new Channels();
        WebSocket socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + cluster.adminToken())
                .subprotocols("v4.channel.k8s.io")
                .buildAsync(URI.create(cluster.server().toString().replace("http:", "ws:")
                        + "/api/v1/namespaces/default/pods/web/exec?" + query), channels)
                .get(30, TimeUnit.SECONDS);
        assertThat(socket.getSubprotocol()).isEqualTo("v4.channel.k8s.io");
        channels.closed.get(30, TimeUnit.SECONDS);
        assertThat(channels.text(1)).isEqualTo("hi\n");
        assertThat(channels.text(2)).isEqualTo("oops\n");
        JsonNode status = MAPPER.readTree(channels.text(3));
        assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
        assertThat(status.path("details").path("causes").get(0).path("message").asText()).isEqualTo("3");
    }

    /**
     * kubectl 1.28 speaks SPDY only; 1.30 and later try WebSocket {@code v5.channel.k8s.io} first, which
     * containerd 1.6 refuses, and fall back to SPDY.
     */
    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {"1.28", "1.32", "1.33"})
    void kubectlExecRunsACommand(String release) throws Exception {
        Result exec = kubectl(release, Duration.ofSeconds(60), "exec", "web", "--", "sh", "-c",
                "echo hi from $(hostname); exit 3");
        assertThat(exec.stdout()).as(exec.stderr()).isEqualTo("hi from web\n");
        assertThat(exec.exitCode()).as(exec.stderr()).isEqualTo(3);
        Result stdin = kubectl(release, Duration.ofSeconds(60), "exec", "-i", "web", "--", "cat");
        assertThat(stdin.exitCode()).as(stdin.stderr()).isZero();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {"1.28", "1.32", "1.33"})
    void kubectlPortForwardReachesHttpd(String release) throws Exception {
        Process forward = new ProcessBuilder(kubectlBinary(release), "--kubeconfig", kubeconfig.toString(),
                "port-forward", "pod/web", ":8080").redirectErrorStream(true).start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(forward.getInputStream(),
                StandardCharsets.UTF_8))) {
            Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 8080");
            String line;
            StringBuilder seen = new StringBuilder();
            Matcher matched = null;
            while ((line = output.readLine()) != null) {
                seen.append(line).append('\n');
                Matcher m = forwarding.matcher(line);
                if (m.find()) {
                    matched = m;
                    break;
                }
            }
            assertThat(matched).as("kubectl port-forward printed where it listens: " + seen).isNotNull();
            for (int i = 0; i < 3; i++) { // one forwarded connection after another
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + matched.group(1) + "/")).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello from web\n");
            }
        } finally {
            forward.destroy();
            forward.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void rbacDecidesWhoMayReadLogsAndExec() throws Exception {
        admin.create(new ResourceType("rbac.authorization.k8s.io", "v1", "rolebindings", true), "default", object("""
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                 "metadata": {"name": "jane-view"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
                 "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]}"""));
        HttpResponse<String> logs = HTTP.send(request("/api/v1/namespaces/default/pods/web/log")
                .header("Impersonate-User", "jane").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(logs.statusCode()).as(logs.body()).isEqualTo(200);
        HttpResponse<String> exec = HTTP.send(request("/api/v1/namespaces/default/pods/web/exec?command=true")
                .header("Impersonate-User", "jane").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(exec.statusCode()).isEqualTo(403);
        assertThat(exec.body()).contains("cannot create resource \\\"pods/exec\\\"");
    }

    @Test
    void theKubeletEndpointRefusesRequestsWithoutTheApiServersToken() throws Exception {
        int port = agent.kubeletServer().orElseThrow().port();
        HttpClient insecure = HttpClient.newBuilder().sslContext(trustingAnything()).build();
        for (String token : List.of("", cluster.adminToken(), cluster.bootstrapToken())) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                    + "/containerLogs/default/web/web"));
            if (!token.isEmpty()) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = insecure.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
        }
    }

    private static SSLContext trustingAnything() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return tls;
    }

    /** A WebSocket listener collecting the remotecommand channels (first byte of each binary message). */
    private static final class Channels implements WebSocket.Listener {
        final Map<Integer, ByteArrayOutputStream> data = new ConcurrentHashMap<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer bytes, boolean last) {
            byte[] chunk = new byte[bytes.remaining()];
            bytes.get(chunk);
            message.writeBytes(chunk);
            if (last) {
                byte[] whole = message.toByteArray();
                message.reset();
                if (whole.length > 0) {
                    data.computeIfAbsent((int) whole[0], c -> new ByteArrayOutputStream())
                            .write(whole, 1, whole.length - 1);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        String text(int channel) {
            ByteArrayOutputStream bytes = data.get(channel);
            return bytes == null ? "" : bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * The kubectl of {@code release}: gcloud's wrapper on the PATH picks one by the server's version, and the
     * versioned binaries sit beside its target.
     */
    private static String kubectlBinary(String release) throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path wrapper = Path.of(dir, "kubectl");
            if (!dir.isEmpty() && Files.isExecutable(wrapper)) {
                Path versioned = wrapper.toRealPath().resolveSibling("kubectl." + release);
                if (Files.isExecutable(versioned)) {
                    return versioned.toString();
                }
            }
        }
        String message = "kubectl." + release + " is not beside the kubectl on the PATH";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
        return null;
    }

    private static Result kubectl(String release, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectlBinary(release), "--kubeconfig",
                kubeconfig.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close(); // stdin: empty
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not end: " + out);
        }
        return new Result(process.exitValue(), out, err.join());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(cluster.server() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + cluster.adminToken());
    }

    private static String get(String path, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        return response.body();
    }

    private static void createPod(String name, String restartPolicy, String container) {
        admin.create(ResourceType.PODS, "default", object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s"},
                 "spec": {"nodeName": "cri-streams", "restartPolicy": "%s", "terminationGracePeriodSeconds": 2,
                          "containers": [%s]}}""".formatted(name, restartPolicy, container)));
    }

    private static boolean running(ObjectNode pod) {
        return pod.path("status").path("containerStatuses").path(0).path("state").has("running");
    }

    private static int restartCount(ObjectNode pod) {
        return pod.path("status").path("containerStatuses").path(0).path("restartCount").asInt();
    }
}
