package dev.kumo.apiserver.kubelet;

import dev.kumo.apiserver.auth.tokens.TokenIssuer;
import dev.kumo.apiserver.errors.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The API server's requests to node agents' kubelet endpoints: each signed for its node and its one request
 * ({@link TokenIssuer#kubeletClientToken}), each over TLS that accepts only the certificate the node published
 * ({@link PinnedTrust}).
 */
final class KubeletRequests {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletRequests.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final TokenIssuer tokens;

    KubeletRequests(TokenIssuer tokens) {
        this.tokens = tokens;
    }

    /** The API server's credential for {@code method path} at {@code node}. */
    String token(String node, String method, String path) {
        if (tokens == null) {
            throw ApiException.badRequest("this API server signs no tokens, so it cannot reach node agents");
        }
        return tokens.kubeletClientToken(node, method + " " + path).token();
    }

    /**
     * {@code GET path} (with its query) at the node, its body still to read: close the answer when done.
     *
     * @throws ApiException 502 when the node cannot be reached
     */
    Answer get(NodeEndpoint endpoint, String path, String what) {
        String token = token(endpoint.node(), "GET", path);
        HttpClient http = HttpClient.newBuilder().sslContext(PinnedTrust.context(endpoint.certificateSha256()))
                .connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
        try {
            return new Answer(http, http.send(HttpRequest.newBuilder(URI.create("https://" + endpoint.authority()
                    + path)).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            http.close();
            LOG.atWarn().addKeyValue("node", endpoint.node()).addKeyValue("for", what).setCause(e)
                    .log("the node's kubelet endpoint cannot be reached");
            throw unreachable(endpoint, e);
        } catch (InterruptedException e) {
            http.close();
            Thread.currentThread().interrupt();
            throw ApiException.internal("interrupted while connecting to node " + endpoint.node());
        }
    }

    /** A query parameter's name or value as Go's {@code url.Values} encodes it (a space is %20). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static ApiException unreachable(NodeEndpoint endpoint, Exception e) {
        return new ApiException(502, "InternalError", "the kubelet endpoint of node \"" + endpoint.node() + "\" at "
                + endpoint.authority() + " cannot be reached: " + e.getMessage(), null);
    }

    /** The node's answer: status, headers, and the body as it arrives; closing it ends the connection. */
    record Answer(HttpClient http, HttpResponse<InputStream> response) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (http) {
                response.body().close();
            }
        }
    }
}
