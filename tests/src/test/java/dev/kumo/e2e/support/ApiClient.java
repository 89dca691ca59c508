package dev.kumo.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.TrustedCa;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Raw HTTPS to the API, as any client would speak it: TLS verified against the kubeconfig's CA, the admin's bearer
 * token, JSON bodies. Answers are returned whatever their status, for the tests to judge.
 */
public final class ApiClient {
    public static final String JSON = "application/json";
    public static final String YAML = "application/yaml";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI server;
    private final String authorization;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    private ApiClient(URI server, String authorization, HttpClient http) {
        this.server = server;
        this.authorization = authorization;
        this.http = http;
    }

    private ApiClient(URI server, String token, SSLContext tls) {
        this(server, "Bearer " + token, HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build());
    }

    /** The same server with another bearer token. */
    public ApiClient withToken(String token) {
        return withAuthorization("Bearer " + token);
    }

    /** The same server with this {@code Authorization} header value, or none when null. */
    public ApiClient withAuthorization(String value) {
        return new ApiClient(server, value, http);
    }

    public static ApiClient of(KubeconfigFile kubeconfig) {
        return new ApiClient(kubeconfig.server(), kubeconfig.token(), trusting(kubeconfig.caCertificatePem()));
    }

    /** One answer: status, content type and body. */
    public record Response(int status, String contentType, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("the answer is not JSON (HTTP " + status + "): " + text(), e);
            }
        }

        /** Fails with the whole answer unless the status is {@code expected}. */
        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + text());
            }
            return this;
        }

        @Override
        public String toString() {
            return "HTTP " + status + " (" + contentType + "): " + text();
        }
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response post(String path, JsonNode body) {
        return send("POST", path, JSON, bytes(body));
    }

    public Response put(String path, JsonNode body) {
        return send("PUT", path, JSON, bytes(body));
    }

    public Response patch(String path, String patchType, String body) {
        return send("PATCH", path, patchType, body.getBytes(StandardCharsets.UTF_8));
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    /** Any request; {@code contentType} and {@code body} may be null. */
    public Response send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder request = request(path).timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    /** Opens a watch ({@code path} with its query, e.g. {@code ...?watch=true&resourceVersion=5}). */
    public WatchConnection watch(String path) {
        try {
            HttpResponse<InputStream> response = http.send(request(path).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                try (InputStream body = response.body()) {
                    return WatchConnection.failed(new Response(response.statusCode(),
                            response.headers().firstValue("Content-Type").orElse(""), body.readAllBytes()));
                }
            }
            return WatchConnection.reading(path, response.body(), mapper);
        } catch (IOException e) {
            throw new UncheckedIOException("watch " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening watch " + path, e);
        }
    }

    /** Creates a namespace (fails the test if it cannot). */
    public void createNamespace(String name) {
        ObjectNode namespace = mapper.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        namespace.putObject("metadata").put("name", name);
        post("/api/v1/namespaces", namespace).expect(201);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.resolve(path)).header("Accept", JSON);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private byte[] bytes(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TLS context that trusts the cluster's CA (and nothing else). */
    public static SSLContext trusting(String caPem) {
        return TrustedCa.context(caPem);
    }
}
