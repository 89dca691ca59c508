package dev.kumo.apiserver.protobuf.kubectl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.kumo.apiserver.openapi.kubectl.Discovery;
import dev.kumo.apiserver.protobuf.KubernetesProtobuf;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A throwaway API server's requests, for kubectl: fixed discovery, and creation that stores nothing but records
 * each POST and answers with the object, completed as a server would, in protobuf where the request accepts it.
 * Everything else (the OpenAPI documents too) is 404.
 */
final class CreationHandler implements HttpHandler {
    /** One POST as it arrived. */
    record Post(String path, String contentType, String accept, byte[] body) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Discovery discovery = new Discovery();
    private final KubernetesProtobuf protobuf;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    CreationHandler(KubernetesProtobuf protobuf) {
        this.protobuf = protobuf;
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Optional<ObjectNode> discovered = method.equals("GET") ? discovery.document(path) : Optional.empty();
            if (discovered.isPresent()) {
                send(exchange, 200, "application/json", json.writeValueAsBytes(discovered.get()));
            } else if (method.equals("POST")) {
                created(exchange, path, body);
            } else {
                send(exchange, 404, "application/json", json.writeValueAsBytes(notFound()));
            }
        }
    }

    private void created(HttpExchange exchange, String path, byte[] body) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        posts.add(new Post(path, contentType, accept, body));
        ObjectNode object = contentType != null && contentType.startsWith(KubernetesProtobuf.MEDIA_TYPE)
                ? protobuf.decode(body)
                : (ObjectNode) json.readTree(body);
        ObjectNode metadata = object.withObjectProperty("metadata");
        if (path.contains("/namespaces/default/")) {
            metadata.put("namespace", "default");
        }
        metadata.put("uid", "00000000-0000-0000-0000-000000000001").put("resourceVersion", "1")
                .put("creationTimestamp", "2024-05-01T10:20:30Z");
        if (accept != null && accept.contains(KubernetesProtobuf.MEDIA_TYPE)) {
            send(exchange, 201, KubernetesProtobuf.MEDIA_TYPE, protobuf.encode(object));
        } else {
            send(exchange, 201, "application/json", json.writeValueAsBytes(object));
        }
    }

    private ObjectNode notFound() {
        return json.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                .put("message", "the server could not find the requested resource").put("reason", "NotFound").put("code", 404);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
