package dev.kumo.apiserver.openapi.kubectl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.kumo.apiserver.openapi.OpenApiDocuments;
import dev.kumo.apiserver.openapi.OpenApiEndpoints;
import dev.kumo.apiserver.openapi.OpenApiRequest;
import dev.kumo.apiserver.openapi.OpenApiResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A throwaway API server for kubectl: discovery, the OpenAPI documents through {@link OpenApiEndpoints}, and pod
 * creation that stores nothing. Everything else is 404. Records each request as {@code "METHOD /path"}.
 */
final class TestApiServer implements AutoCloseable {
    private static final String PODS = "/api/v1/namespaces/default/pods";

    private final ObjectMapper json = new ObjectMapper();
    private final Discovery discovery = new Discovery();
    private final OpenApiEndpoints openApi = new OpenApiEndpoints(OpenApiDocuments.load(), Clock.systemUTC());
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final LoopbackServer server;

    TestApiServer() throws IOException {
        server = new LoopbackServer(this::handle);
    }

    String url() {
        return server.url();
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(method + " " + path);
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (method.equals("GET") && path.startsWith("/openapi/")) {
                Optional<OpenApiResponse> response = openApi.handle(new OpenApiRequest(path,
                        queryParameter(exchange, "hash"),
                        exchange.getRequestHeaders().getFirst("Accept"),
                        exchange.getRequestHeaders().getFirst("If-None-Match")));
                if (response.isPresent()) {
                    send(exchange, response.get());
                    return;
                }
            }
            Optional<ObjectNode> discovered = method.equals("GET") ? discovery.document(path) : Optional.empty();
            if (discovered.isPresent()) {
                sendJson(exchange, 200, discovered.get());
            } else if (method.equals("POST") && path.equals(PODS)) {
                ObjectNode pod = (ObjectNode) json.readTree(body);
                pod.withObjectProperty("metadata").put("namespace", "default").put("resourceVersion", "1").put("uid", "00000000-0000-0000-0000-000000000001");
                sendJson(exchange, 201, pod);
            } else {
                sendJson(exchange, 404, notFound());
            }
        }
    }

    private ObjectNode notFound() {
        return json.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                .put("message", "the server could not find the requested resource").put("reason", "NotFound").put("code", 404);
    }

    private static String queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            if (parts[0].equals(name)) {
                return parts.length == 2 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            }
        }
        return null;
    }

    private void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void send(HttpExchange exchange, OpenApiResponse response) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
        if (response.body().length > 0) {
            exchange.getResponseBody().write(response.body());
        }
    }
}
