package dev.kumo.node.server;

import dev.kumo.apimachinery.kubelet.ChunkedOutputStream;
import dev.kumo.apimachinery.kubelet.HttpHead;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.node.logs.CriLogReader;
import dev.kumo.node.logs.LogOptions;
import dev.kumo.node.pods.ContainerStreams;
import dev.kumo.node.pods.PodRuntime;
import dev.kumo.node.stats.Summary;
import dev.kumo.node.stats.SummaryProvider;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLServerSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's HTTPS endpoint, the kubelet server's streaming part: {@code GET /containerLogs/{ns}/{pod}/{container}}
 * (with the log options as query parameters), {@code /exec/{ns}/{pod}/{container}} and
 * {@code /portForward/{ns}/{pod}} (upgrade requests, proxied to the runtime's streaming server); and
 * {@code GET /stats/summary} (the summary API, {@link SummaryProvider}) and {@code GET /healthz}. Every request must
 * carry the API server's token for it ({@link ApiServerTokens}); one request per connection.
 */
public final class KubeletServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);
    private static final int HEAD_TIMEOUT_MILLIS = 30_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String nodeName;
    private final ServingCertificate certificate;
    private final ServerSocket socket;
    private final Clock clock;
    private volatile ApiServerTokens tokens;
    private volatile Supplier<PodRuntime> runtime;
    private volatile SummaryProvider summaries;
    private volatile Thread acceptor;

    private KubeletServer(String nodeName, ServingCertificate certificate, ServerSocket socket, Clock clock) {
        this.nodeName = nodeName;
        this.certificate = certificate;
        this.socket = socket;
        this.clock = clock;
    }

    /**
     * Listens on {@code listen} (port 0: any free one) with a fresh certificate for the node's name and
     * {@code addresses}; requests are served once {@link #start} was called.
     */
    public static KubeletServer bind(String nodeName, InetSocketAddress listen, List<String> addresses, Clock clock)
            throws IOException {
        ServingCertificate certificate = ServingCertificate.create(nodeName, addresses);
        SSLServerSocket socket = (SSLServerSocket) certificate.tls().getServerSocketFactory()
                .createServerSocket(listen.getPort(), 128, listen.getAddress());
        return new KubeletServer(nodeName, certificate, socket, clock);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** What the node publishes for the API server to pin (see {@code KubeletApi}). */
    public String certificateSha256() {
        return certificate.sha256();
    }

    /**
     * Starts serving: tokens are checked against the keys {@code jwks} reads, containers are those of the runtime
     * {@code runtime} gives at each request (the agent may replace its runtime when it learns its pod CIDR), and the
     * summary is {@code summaries}'.
     */
    public synchronized void start(Supplier<JsonNode> jwks, Supplier<PodRuntime> runtime,
                                   SummaryProvider summaries) {
        if (acceptor != null) {
            throw new IllegalStateException("the kubelet server of " + nodeName + " was started already");
        }
        this.tokens = new ApiServerTokens(nodeName, jwks, clock);
        this.runtime = runtime;
        this.summaries = summaries;
        acceptor = Thread.ofVirtual().name("kubelet-server-" + nodeName).start(this::accept);
        LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("port", port())
                .addKeyValue("certificateSha256", certificateSha256()).log("kubelet server listening");
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread.ofVirtual().name("kubelet-server-" + nodeName + "-conn").start(() -> serve(connection));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.atWarn().addKeyValue("node", nodeName).setCause(e).log("accepting a connection failed");
                }
            }
        }
    }

    private void serve(Socket connection) {
        String target = "";
        try (connection) {
            connection.setSoTimeout(HEAD_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = new BufferedOutputStream(connection.getOutputStream());
            HttpHead head = HttpHead.read(in);
            if (head == null) {
                return;
            }
            target = head.target();
            connection.setSoTimeout(0); // a followed log or an exec may be quiet for long
            try {
                tokens.verify(head.header("Authorization"), head.method(), head.target());
            } catch (ApiServerTokens.Rejected e) {
                LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("method", head.method())
                        .addKeyValue("path", head.path()).addKeyValue("remote", connection.getRemoteSocketAddress())
                        .addKeyValue("reason", e.getMessage()).log("kubelet request unauthorized");
                error(out, 401, "Unauthorized");
                return;
            }
            route(head, in, out, connection);
        } catch (SocketException e) {
            LOG.atDebug().addKeyValue("node", nodeName).addKeyValue("target", target)
                    .log("kubelet connection ended: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("target", target).setCause(e)
                    .log("kubelet request failed");
        }
    }

    private void route(HttpHead head, InputStream in, OutputStream out, Socket connection) throws IOException {
        if (head.path().equals("/stats/summary") || head.path().equals("/healthz")) {
            if (!head.method().equals("GET")) {
                error(out, 405, "405 method not allowed");
            } else if (head.path().equals("/healthz")) {
                respond(out, 200, "text/plain; charset=utf-8", "ok".getBytes(StandardCharsets.UTF_8));
            } else {
                summary(head, out);
            }
            return;
        }
        List<String> segments = List.of(head.path().replaceFirst("^/", "").split("/"));
        String kind = segments.get(0);
        Optional<ContainerStreams> streams = runtime.get().streams();
        boolean known = kind.equals("containerLogs") && segments.size() == 4
                || kind.equals("exec") && (segments.size() == 4 || segments.size() == 5)
                || kind.equals("portForward") && (segments.size() == 3 || segments.size() == 4);
        if (!known) {
            error(out, 404, "404 page not found");
            return;
        }
        boolean upgrade = !kind.equals("containerLogs");
        if (streams.isEmpty()) {
            refuse(out, upgrade, 400, "the " + runtime.get().version().split(":", 2)[0]
                    + " runtime runs no containers: no logs, exec or port-forward on node " + nodeName);
            return;
        }
        String namespace = segments.get(1);
        String pod = segments.get(2);
        try {
            switch (kind) {
                case "containerLogs" -> logs(head, out, streams.get(), namespace, pod, segments.get(3));
                case "exec" -> {
                    requireUpgrade(head);
                    // /exec/{ns}/{pod}/{uid}/{container} names the uid too; the runtime finds the pod by name
                    String container = segments.get(segments.size() - 1);
                    URI location = streams.get().exec(namespace, pod, container, new ContainerStreams.Exec(
                            head.query().getOrDefault("command", List.of()), head.flag("input")
                            || head.flag("stdin"), head.flag("output") || head.flag("stdout"),
                            head.flag("error") || head.flag("stderr"), head.flag("tty")));
                    log(head, namespace, pod, container);
                    StreamProxy.proxy(head, in, out, connection, location, "exec");
                }
                default -> {
                    requireUpgrade(head);
                    List<Integer> ports = head.query().getOrDefault("port", List.of()).stream()
                            .map(Integer::parseInt).toList();
                    URI location = streams.get().portForward(namespace, pod, ports);
                    log(head, namespace, pod, "");
                    StreamProxy.proxy(head, in, out, connection, location, "portforward");
                }
            }
        } catch (ContainerStreams.Unavailable e) {
            if (e.status() >= 500) {
                LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("path", head.path())
                        .log("streaming request failed: " + e.getMessage());
            }
            refuse(out, upgrade, e.status(), e.getMessage());
        } catch (IllegalArgumentException e) {
            refuse(out, upgrade, 400, e.getMessage());
        } catch (StatusRuntimeException e) {
            LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("path", head.path()).setCause(e)
                    .log("the runtime refused a streaming request");
            refuse(out, upgrade, 500, "the container runtime failed: " + e.getStatus());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void log(HttpHead head, String namespace, String pod, String container) {
        LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("pod", namespace + "/" + pod)
                .addKeyValue("container", container).addKeyValue("method", head.method())
                .addKeyValue("path", head.path()).addKeyValue("upgrade", head.header("Upgrade"))
                .log("streaming request");
    }

    private static void requireUpgrade(HttpHead head) {
        if (!head.upgrade()) {
            throw new IllegalArgumentException("Upgrade request required");
        }
    }

    private void logs(HttpHead head, OutputStream out, ContainerStreams streams, String namespace, String pod,
                      String container) throws ContainerStreams.Unavailable, IOException, InterruptedException {
        Map<String, List<String>> query = head.query();
        LogOptions options = LogOptions.fromQuery(name -> query.containsKey(name) ? query.get(name).get(0) : null,
                clock.instant());
        ContainerStreams.ContainerLog log = streams.log(namespace, pod, container, options.previous());
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        ChunkedOutputStream body = new ChunkedOutputStream(out);
        new CriLogReader(log.file(), options, log.running()).copyTo(body);
        body.finish();
    }

    /** The kubelet's {@code /stats/summary}, with its {@code only_cpu_and_memory} option. */
    private void summary(HttpHead head, OutputStream out) throws IOException {
        Summary summary;
        try {
            summary = summaries.summary(head.flag("only_cpu_and_memory"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.atWarn().addKeyValue("node", nodeName).setCause(e).log("reading the stats summary failed");
            error(out, 500, "Internal Error: failed to get node info: " + e);
            return;
        }
        respond(out, 200, "application/json", JSON.writeValueAsBytes(summary.toJson(JSON)));
    }

    /**
     * A streaming request the node cannot serve. A log's refusal is text, as the kubelet writes it (the API server
     * wraps it in a Status). The refusal of an exec or port-forward upgrade reaches kubectl as it is (the API server
     * echoes it, as kube-apiserver's upgrade-aware proxy does), and kubectl decodes the body as a Status, YAML
     * included: a text like "x cannot exec: y" parses as a map and shows as an empty "Error from server: ". So
     * those are a {@code Status}, which kubectl shows as "Error from server (BadRequest): message".
     */
    private static void refuse(OutputStream out, boolean upgrade, int status, String message) throws IOException {
        if (!upgrade) {
            error(out, status, message);
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        body.putObject("metadata");
        body.put("status", "Failure").put("message", message).put("reason", statusReason(status)).put("code", status);
        respond(out, status, "application/json", JSON.writeValueAsBytes(body));
    }

    /** metav1's StatusReason for the codes the endpoint answers. */
    private static String statusReason(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            default -> "InternalError";
        };
    }

    private static void error(OutputStream out, int status, String message) throws IOException {
        respond(out, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(OutputStream out, int status, String contentType, byte[] body) throws IOException {
        out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: " + contentType
                + "\r\nX-Content-Type-Options: nosniff\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 502 -> "Bad Gateway";
            case 200 -> "OK";
            default -> "Internal Server Error";
        };
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("node", nodeName).setCause(e).log("closing the kubelet server failed");
        }
        Thread running = acceptor;
        if (running != null) {
            running.interrupt();
        }
    }
}
