package dev.kumo.node.probes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.node.NodeSystemInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kubelet's probe actions ({@code pkg/probe/http}, {@code tcp}, {@code exec}), run from the node:
 *
 * <ul>
 *   <li>{@code httpGet}: a GET to {@code scheme://host:port/path} (host: the pod's IP unless given) with the probe's
 *   headers, {@code User-Agent: kube-probe/<version>} and {@code Accept: *}{@code /*}, redirects followed, TLS not
 *   verified (as the kubelet: a probe checks health, not identity); 200–399 is success, anything else is failure
 *   "HTTP probe failed with statuscode: N", and a connection that fails or times out is failure with Go's error
 *   text;</li>
 *   <li>{@code tcpSocket}: a connection that opens within the timeout is success;</li>
 *   <li>{@code exec}: the command through the runtime ({@link ContainerExec}); exit code 0 is success, another is
 *   failure with the command's output, running out of time is failure "command ... timed out".</li>
 * </ul>
 * {@code grpc} probes are not supported (an error, as for an unknown action).
 */
public final class ProbeActions {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeActions.class);
    /** {@code kube-probe/<major>.<minor>} of the kubelet version the node reports. */
    static final String USER_AGENT = userAgent(NodeSystemInfo.KUBELET_VERSION);
    /** The kubelet reads at most this much of a probe's response body. */
    private static final int MAX_BODY = 10 * 1024;

    private final ContainerExec exec;
    private final HttpClient http;

    public ProbeActions(ContainerExec exec) {
        this.exec = exec;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).sslContext(trustingEverything()).build();
    }

    /** Runs the probe's action once against {@code target} within {@code timeout}. */
    public ProbeOutcome run(JsonNode probe, ProbeTarget target, Duration timeout) throws InterruptedException {
        try {
            if (probe.has("httpGet")) {
                return httpGet(probe.path("httpGet"), target, timeout);
            }
            if (probe.has("tcpSocket")) {
                return tcpSocket(probe.path("tcpSocket"), target, timeout);
            }
            if (probe.has("exec")) {
                return exec(probe.path("exec"), target, timeout);
            }
            return ProbeOutcome.error("missing probe handler for " + target.containerName()
                    + (probe.has("grpc") ? ": grpc probes are not supported by this node" : ""));
        } catch (IllegalArgumentException e) {
            return ProbeOutcome.error(e.getMessage());
        }
    }

    ProbeOutcome httpGet(JsonNode action, ProbeTarget target, Duration timeout) throws InterruptedException {
        String scheme = action.path("scheme").asText("HTTP").toLowerCase(Locale.ROOT);
        String host = target.host(action);
        int port = target.port(action.path("port"));
        String path = action.path("path").asText("");
        String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        String url = scheme + "://" + hostPort + (path.isEmpty() || path.startsWith("/") ? path : "/" + path);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(path.isEmpty() ? url + "/" : url)).GET().timeout(timeout);
        } catch (IllegalArgumentException e) {
            return ProbeOutcome.error("invalid probe URL " + url + ": " + e.getMessage());
        }
        boolean agent = false;
        boolean accept = false;
        for (JsonNode header : action.path("httpHeaders")) {
            String name = header.path("name").asText();
            agent |= name.equalsIgnoreCase("User-Agent");
            accept |= name.equalsIgnoreCase("Accept");
            try {
                request.header(name, header.path("value").asText(""));
            } catch (IllegalArgumentException e) {
                // Host and the other headers Java's client does not let a caller set: sent without them
                LOG.atDebug().addKeyValue("container", target.containerName()).addKeyValue("header", name)
                        .log("a probe header this client cannot send: " + e.getMessage());
            }
        }
        if (!agent) {
            request.header("User-Agent", USER_AGENT);
        }
        if (!accept) {
            request.header("Accept", "*/*");
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                body.readNBytes(MAX_BODY);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 400) {
                return ProbeOutcome.success("");
            }
            return ProbeOutcome.failure("HTTP probe failed with statuscode: " + status);
        } catch (HttpConnectTimeoutException e) {
            return ProbeOutcome.failure("Get \"" + url + "\": dial tcp " + hostPort + ": i/o timeout");
        } catch (HttpTimeoutException e) {
            return ProbeOutcome.failure("Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded "
                    + "while awaiting headers)");
        } catch (ConnectException e) {
            return ProbeOutcome.failure("Get \"" + url + "\": dial tcp " + hostPort + ": connect: connection refused");
        } catch (IOException e) {
            return ProbeOutcome.failure("Get \"" + url + "\": " + e.getMessage());
        }
    }

    ProbeOutcome tcpSocket(JsonNode action, ProbeTarget target, Duration timeout) {
        String host = target.host(action);
        int port = target.port(action.path("port"));
        String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return ProbeOutcome.success("");
        } catch (SocketTimeoutException e) {
            return ProbeOutcome.failure("dial tcp " + hostPort + ": i/o timeout");
        } catch (ConnectException e) {
            return ProbeOutcome.failure("dial tcp " + hostPort + ": connect: connection refused");
        } catch (IOException e) {
            return ProbeOutcome.failure("dial tcp " + hostPort + ": " + e.getMessage());
        }
    }

    ProbeOutcome exec(JsonNode action, ProbeTarget target, Duration timeout) throws InterruptedException {
        List<String> command = new ArrayList<>();
        action.path("command").forEach(part -> command.add(part.asText()));
        ContainerExec.Result result;
        try {
            result = exec.exec(target.containerId(), command, timeout);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return ProbeOutcome.error(e.getMessage());
        }
        if (result.timedOut()) {
            return ProbeOutcome.failure("command \"" + String.join(" ", command) + "\" timed out");
        }
        return result.exitCode() == 0 ? ProbeOutcome.success(result.output())
                : ProbeOutcome.failure(result.output());
    }

    /** {@code v1.32.0-kumo} gives {@code kube-probe/1.32}, as the kubelet's {@code ProbeUserAgent}. */
    static String userAgent(String kubeletVersion) {
        String[] parts = kubeletVersion.replaceFirst("^v", "").split("[.-]");
        return "kube-probe/" + parts[0] + "." + parts[1];
    }

    /** The kubelet's probes skip TLS verification ({@code InsecureSkipVerify}): health, not identity. */
    private static SSLContext trustingEverything() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new X509ExtendedTrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                }

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
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for probes", e);
        }
    }
}
