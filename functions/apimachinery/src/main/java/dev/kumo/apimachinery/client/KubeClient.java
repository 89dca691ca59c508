package dev.kumo.apimachinery.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A small Kubernetes API client for kumo's own components (the control loops run in Lambda, where a full client
 * library's size and threads cost cold-start time): JSON objects as Jackson trees, the REST verbs, pagination,
 * and every refusal as an {@link ApiError} carrying the API's {@code Status}. It authenticates with a bearer token
 * from {@code token}, asked on every request so that short-lived credentials (IAM tokens, node credentials) can
 * be renewed underneath.
 */
public final class KubeClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(25);
    private static final int DEFAULT_PAGE = 500;

    private final URI server;
    private final Supplier<String> token;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final String userAgent;
    private final int pageSize;

    public KubeClient(URI server, SSLContext tls, Supplier<String> token, String userAgent) {
        this(server, HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build(), token, userAgent, DEFAULT_PAGE);
    }

    /**
     * A client over {@code http}, which several clients may share (its connection pool and selector thread): many
     * node agents in one JVM, each with its own credential.
     */
    public KubeClient(URI server, HttpClient http, Supplier<String> token, String userAgent) {
        this(server, http, token, userAgent, DEFAULT_PAGE);
    }

    private KubeClient(URI server, HttpClient http, Supplier<String> token, String userAgent, int pageSize) {
        this.server = server;
        this.http = http;
        this.token = token;
        this.userAgent = userAgent;
        this.pageSize = pageSize;
    }

    /** The same client, listing {@code size} objects per request. */
    public KubeClient withPageSize(int size) {
        return new KubeClient(server, http, token, userAgent, size);
    }

    /** The object, or empty when it does not exist. */
    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        try {
            return Optional.of(send("GET", type.objectPath(namespace, name), null, null));
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * A document the API serves at {@code path} that is not an object of a resource: the discovery documents
     * ({@code /api/v1}, {@code /apis}, {@code /apis/<group>/<version>}), {@code /version}.
     */
    public ObjectNode getPath(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an absolute path is needed: " + path);
        }
        return send("GET", path, null, null);
    }

    /**
     * Every object of the collection matching the selectors (either may be empty), read page by page as one
     * consistent list.
     */
    public List<ObjectNode> list(ResourceType type, String namespace, String labelSelector, String fieldSelector) {
        return listWithVersion(type, namespace, labelSelector, fieldSelector).items();
    }

    /** A consistent list and the resourceVersion it was read at: where a watch of the same selection starts. */
    public record ObjectList(List<ObjectNode> items, String resourceVersion) {
    }

    /** {@link #list} with the list's resourceVersion (the first page's: every page reads the same snapshot). */
    public ObjectList listWithVersion(ResourceType type, String namespace, String labelSelector,
                                      String fieldSelector) {
        List<ObjectNode> items = new ArrayList<>();
        String resourceVersion = null;
        String continueToken = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", Integer.toString(pageSize));
            if (!labelSelector.isEmpty()) {
                query.put("labelSelector", labelSelector);
            }
            if (!fieldSelector.isEmpty()) {
                query.put("fieldSelector", fieldSelector);
            }
            if (continueToken != null) {
                query.put("continue", continueToken);
            }
            ObjectNode page = send("GET", type.collectionPath(namespace) + query(query), null, null);
            page.path("items").forEach(item -> items.add((ObjectNode) item));
            if (resourceVersion == null) {
                resourceVersion = page.path("metadata").path("resourceVersion").asText("");
            }
            continueToken = page.path("metadata").path("continue").asText("");
        } while (!continueToken.isEmpty());
        return new ObjectList(items, resourceVersion);
    }

    /**
     * Opens a watch of the collection from {@code resourceVersion} with bookmarks allowed; the server ends it after
     * {@code timeoutSeconds}. Events are read from the returned stream one line at a time; an expired
     * resourceVersion arrives as an ERROR event (410 Gone) or, from servers that refuse it up front, as an
     * {@link ApiError} here.
     */
    public WatchConnection watch(ResourceType type, String namespace, String labelSelector, String fieldSelector,
                                 String resourceVersion, long timeoutSeconds) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("watch", "true");
        query.put("allowWatchBookmarks", "true");
        query.put("resourceVersion", resourceVersion);
        query.put("timeoutSeconds", Long.toString(timeoutSeconds));
        if (!labelSelector.isEmpty()) {
            query.put("labelSelector", labelSelector);
        }
        if (!fieldSelector.isEmpty()) {
            query.put("fieldSelector", fieldSelector);
        }
        String path = type.collectionPath(namespace) + query(query);
        // The timeout bounds the wait for the response's headers only; the stream itself lasts timeoutSeconds.
        HttpRequest request = request(path).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
        if (response.statusCode() >= 300) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                body = new byte[0];
            }
            throw refusal(response.statusCode(), body);
        }
        return new WatchConnection(response.body(), mapper);
    }

    public ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
        return send("POST", type.collectionPath(namespace), object, "application/json");
    }

    /** PUT: fails with 409 when the object's resourceVersion is stale. */
    public ObjectNode update(ResourceType type, ObjectNode object) {
        return send("PUT", type.objectPath(namespaceOf(object), nameOf(object)), object, "application/json");
    }

    /** PUT of the status subresource: only the status changes. */
    public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
        return send("PUT", type.objectPath(namespaceOf(object), nameOf(object)) + "/status", object,
                "application/json");
    }

    /** PUT of a subresource that takes the whole object ({@code status}, {@code finalize} of a namespace). */
    public ObjectNode updateSubresource(ResourceType type, ObjectNode object, String subresource) {
        return send("PUT", type.objectPath(namespaceOf(object), nameOf(object)) + "/" + subresource, object,
                "application/json");
    }

    /**
     * DELETE of a collection (every object of {@code type} in {@code namespace}), with the given
     * {@code DeleteOptions}; the API deletes or marks each one as a single delete would.
     */
    public void deleteCollection(ResourceType type, String namespace, ObjectNode options) {
        send("DELETE", type.collectionPath(namespace), options, "application/json");
    }

    /** A JSON merge patch (RFC 7386) of the object or of a subresource ("" for none). */
    public ObjectNode mergePatch(ResourceType type, String namespace, String name, String subresource,
                                 ObjectNode patch) {
        String path = type.objectPath(namespace, name) + (subresource.isEmpty() ? "" : "/" + subresource);
        return send("PATCH", path, patch, "application/merge-patch+json");
    }

    /**
     * A strategic merge patch of the object or of a subresource ("" for none): lists with a merge key (conditions
     * by {@code type}, containers by {@code name}) merge item by item instead of being replaced.
     */
    public ObjectNode strategicMergePatch(ResourceType type, String namespace, String name, String subresource,
                                         ObjectNode patch) {
        String path = type.objectPath(namespace, name) + (subresource.isEmpty() ? "" : "/" + subresource);
        return send("PATCH", path, patch, "application/strategic-merge-patch+json");
    }

    /** POST to a subresource ({@code binding}, {@code token}, ...): the answer as the API gives it. */
    public ObjectNode createSubresource(ResourceType type, String namespace, String name, String subresource,
                                        ObjectNode body) {
        return send("POST", type.objectPath(namespace, name) + "/" + subresource, body, "application/json");
    }

    /**
     * Deletes with a propagation policy ({@code Background}, {@code Foreground}, {@code Orphan}, or null for the
     * resource's default) and, when not null, the uid the object must still have. False when it was gone already.
     */
    public boolean delete(ResourceType type, String namespace, String name, String propagationPolicy,
                          String preconditionUid) {
        ObjectNode options = mapper.createObjectNode().put("apiVersion", "v1").put("kind", "DeleteOptions");
        if (propagationPolicy != null) {
            options.put("propagationPolicy", propagationPolicy);
        }
        if (preconditionUid != null) {
            options.putObject("preconditions").put("uid", preconditionUid);
        }
        return delete(type, namespace, name, options);
    }

    /** Deletes with the given {@code DeleteOptions} (grace period, preconditions, propagation). */
    public boolean delete(ResourceType type, String namespace, String name, ObjectNode options) {
        try {
            send("DELETE", type.objectPath(namespace, name), options, "application/json");
            return true;
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    private ObjectNode send(String method, String path, JsonNode body, String contentType) {
        HttpRequest.Builder request = request(path)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        if (contentType != null && body != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
        if (response.statusCode() >= 300) {
            throw refusal(response.statusCode(), response.body());
        }
        JsonNode answer = parse(response.body());
        if (!answer.isObject()) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode()
                    + " without a JSON object");
        }
        return (ObjectNode) answer;
    }

    /** A request to the API with the headers every request carries (and a fresh token). */
    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT)
                .header("Accept", "application/json").header("User-Agent", userAgent)
                .header("Authorization", "Bearer " + token.get());
    }

    /** The refusal a response's {@code Status} body states (the raw body as message when it is no Status). */
    private ApiError refusal(int code, byte[] body) {
        return ApiError.ofStatus(code, parse(body), new String(body, StandardCharsets.UTF_8));
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return mapper.createObjectNode(); // not JSON (a proxy's error page): the status code still says it
        }
    }

    private byte[] bytes(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String query(Map<String, String> parameters) {
        StringBuilder query = new StringBuilder();
        parameters.forEach((name, value) -> query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    private static String namespaceOf(ObjectNode object) {
        return object.path("metadata").path("namespace").asText("");
    }

    private static String nameOf(ObjectNode object) {
        return object.path("metadata").path("name").asText("");
    }
}
