package dev.kumo.apiserver.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.auth.tokens.TokenIssuer;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.handlers.StatusBuilder;
import dev.kumo.apiserver.errors.FieldError;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.http.ResourcePath;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.resources.ResourceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The pod subresources the node serves, proxied to the kubelet endpoint of the pod's node as kube-apiserver does
 * it: {@code pods/log} (GET; streamed while the node streams, so {@code follow} works where the host streams),
 * {@code pods/exec} and {@code pods/portforward} (connection upgrades, handed to the host as a
 * {@link ApiResponse.Upgrade}). The request was authorized already ({@code get pods/log}, {@code create pods/exec}
 * ...); here the options and the container are checked as kube-apiserver checks them, the node is located, and the
 * request is signed for that node ({@link TokenIssuer#kubeletClientToken}).
 */
public final class PodStreams {
    private static final Logger LOG = LoggerFactory.getLogger(PodStreams.class);
    public static final Set<String> SUBRESOURCES = Set.of("log", "exec", "portforward");

    /** kube-apiserver's answer to an exec, attach or port-forward request without upgrade headers. */
    static final String UPGRADE_REQUIRED = "Upgrade request required";
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final GenericRegistry registry;
    private final ResourceDefinition nodes;
    private final KubeletRequests kubelet;

    public PodStreams(GenericRegistry registry, ResourceDefinition nodes, TokenIssuer tokens) {
        this.registry = registry;
        this.nodes = nodes;
        this.kubelet = new KubeletRequests(tokens);
    }

    public ApiResponse handle(ApiRequest request, ResourcePath target, ResourceDefinition pods) {
        String subresource = target.subresource();
        boolean log = subresource.equals("log");
        if (log ? !request.method().equals("GET")
                : !request.method().equals("GET") && !request.method().equals("POST")) {
            throw ApiException.methodNotAllowed(request.method() + " is not allowed on pods/" + subresource);
        }
        String namespace = target.namespace();
        String name = target.name();
        ObjectNode pod = registry.find(pods, namespace, name)
                .orElseThrow(() -> ApiException.notFound("", "pods", "pods", name));
        if (log) {
            return logs(request, pod, namespace, name);
        }
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (subresource.equals("exec")) {
            String container = container(pod, name, request.param("container"));
            if (nodeName.isEmpty()) {
                throw ApiException.badRequest("pod " + name + " does not have a host assigned");
            }
            StringJoiner query = new StringJoiner("&");
            for (String command : request.query().getOrDefault("command", List.of())) {
                query.add("command=" + KubeletRequests.encode(command));
            }
            if (request.query().getOrDefault("command", List.of()).isEmpty()) {
                throw ApiException.badRequest("you must specify at least 1 command");
            }
            // kube-apiserver's streamParams: the kubelet's names for the streams, "1" for true
            for (String[] stream : new String[][] {{"stdin", "input"}, {"stdout", "output"}, {"stderr", "error"},
                    {"tty", "tty"}}) {
                if (request.flag(stream[0])) {
                    query.add(stream[1] + "=1");
                }
            }
            return upgrade(request, nodeName, "/exec/" + namespace + "/" + name + "/" + container + "?" + query);
        }
        if (nodeName.isEmpty()) {
            throw ApiException.badRequest("pod " + name + " does not have a host assigned");
        }
        StringJoiner query = new StringJoiner("&");
        for (String port : request.query().getOrDefault("ports", List.of())) {
            query.add("port=" + KubeletRequests.encode(port));
        }
        return upgrade(request, nodeName, "/portForward/" + namespace + "/" + name
                + (query.length() == 0 ? "" : "?" + query));
    }

    private ApiResponse logs(ApiRequest request, ObjectNode pod, String namespace, String name) {
        String query = logQuery(request, name);
        String container = container(pod, name, request.param("container"));
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (nodeName.isEmpty()) {
            // kube-apiserver: a pod on no node has no log yet; the answer is empty, not an error
            return new ApiResponse.Complete(200, Map.of("Content-Type", "text/plain"), new byte[0]);
        }
        String path = "/containerLogs/" + namespace + "/" + name + "/" + container + (query.isEmpty() ? ""
                : "?" + query);
        NodeEndpoint endpoint = endpoint(nodeName);
        KubeletRequests.Answer answer = kubelet.get(endpoint, path, "the log of pod " + namespace + "/" + name);
        HttpResponse<InputStream> response = answer.response();
        if (response.statusCode() != 200) {
            try (answer) {
                throw nodeRefused(response.statusCode(), new String(response.body().readNBytes(64 * 1024),
                        StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw KubeletRequests.unreachable(endpoint, e);
            }
        }
        return new ApiResponse.Streaming(200, Map.of("Content-Type", "text/plain"), sink -> {
            try (answer; InputStream body = response.body()) {
                byte[] buffer = new byte[8192];
                for (int read = body.read(buffer); read >= 0 && sink.isOpen(); read = body.read(buffer)) {
                    if (read > 0) {
                        sink.send(java.util.Arrays.copyOf(buffer, read));
                    }
                }
            }
        });
    }

    /** An upgrade handed to the host: it connects the client's connection to the node's (see {@link NodeTunnel}). */
    private ApiResponse upgrade(ApiRequest request, String nodeName, String path) {
        if (!isUpgrade(request)) {
            throw ApiException.badRequest(UPGRADE_REQUIRED);
        }
        String token = kubelet.token(nodeName, request.method(), path);
        NodeEndpoint endpoint = endpoint(nodeName);
        LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("path", path)
                .addKeyValue("user", request.requireUser().name()).addKeyValue("upgrade", request.header("Upgrade"))
                .log("proxying a streaming request to the node");
        return new ApiResponse.Upgrade(new NodeTunnel(endpoint, request, path, token));
    }

    static boolean isUpgrade(ApiRequest request) {
        String connection = request.header("Connection");
        return connection != null && connection.toLowerCase(java.util.Locale.ROOT).contains("upgrade")
                && request.header("Upgrade") != null;
    }

    private NodeEndpoint endpoint(String nodeName) {
        ObjectNode node = registry.find(nodes, "", nodeName).orElseThrow(() ->
                ApiException.badRequest("the pod's node \"" + nodeName + "\" does not exist"));
        return NodeEndpoint.of(node);
    }

    /**
     * kube-apiserver's container choice: the named one (a container, init container or ephemeral container of the
     * pod), else the pod's only container, else the {@code kubectl.kubernetes.io/default-container} annotation's.
     */
    static String container(ObjectNode pod, String name, String requested) {
        List<String> containers = names(pod.path("spec").path("containers"));
        List<String> init = names(pod.path("spec").path("initContainers"));
        List<String> ephemeral = names(pod.path("spec").path("ephemeralContainers"));
        if (requested == null || requested.isEmpty()) {
            if (containers.size() == 1) {
                return containers.get(0);
            }
            String annotated = pod.path("metadata").path("annotations")
                    .path("kubectl.kubernetes.io/default-container").asText("");
            if (containers.contains(annotated)) {
                return annotated;
            }
            StringBuilder message = new StringBuilder("a container name must be specified for pod ").append(name)
                    .append(", choose one of: ").append(goList(containers));
            if (!init.isEmpty()) {
                message.append(" or one of the init containers: ").append(goList(init));
            }
            if (!ephemeral.isEmpty()) {
                message.append(" or one of the ephemeral containers: ").append(goList(ephemeral));
            }
            throw ApiException.badRequest(message.toString());
        }
        if (!containers.contains(requested) && !init.contains(requested) && !ephemeral.contains(requested)) {
            throw ApiException.badRequest("container " + requested + " is not valid for pod " + name);
        }
        return requested;
    }

    /** The options kube-apiserver validates and passes on to the kubelet, as the kubelet's query. */
    private static String logQuery(ApiRequest request, String name) {
        List<FieldError> errors = new ArrayList<>();
        StringJoiner query = new StringJoiner("&");
        for (String flag : List.of("follow", "previous", "timestamps")) {
            if (request.flag(flag)) {
                query.add(flag + "=true");
            }
        }
        Long sinceSeconds = number(request, "sinceSeconds", errors);
        String sinceTime = request.param("sinceTime");
        Long tailLines = number(request, "tailLines", errors);
        Long limitBytes = number(request, "limitBytes", errors);
        if (tailLines != null && tailLines < 0) {
            errors.add(FieldError.invalid("tailLines", tailLines, "must be greater than or equal to 0"));
        }
        if (limitBytes != null && limitBytes < 1) {
            errors.add(FieldError.invalid("limitBytes", limitBytes, "must be greater than 0"));
        }
        if (sinceSeconds != null && sinceSeconds < 1) {
            errors.add(FieldError.invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
        }
        if (sinceSeconds != null && sinceTime != null) {
            errors.add(FieldError.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        }
        if (sinceTime != null) {
            try {
                Instant.parse(sinceTime);
            } catch (DateTimeParseException e) {
                errors.add(FieldError.invalid("sinceTime", sinceTime, "must be an RFC3339 time"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid("", "PodLogOptions", name, errors);
        }
        if (sinceSeconds != null) {
            query.add("sinceSeconds=" + sinceSeconds);
        }
        if (sinceTime != null) {
            query.add("sinceTime=" + KubeletRequests.encode(sinceTime));
        }
        if (tailLines != null) {
            query.add("tailLines=" + tailLines);
        }
        if (limitBytes != null) {
            query.add("limitBytes=" + limitBytes);
        }
        return query.toString();
    }

    private static Long number(ApiRequest request, String name, List<FieldError> errors) {
        String value = request.param(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            errors.add(FieldError.invalid(name, value, "must be an integer"));
            return null;
        }
    }

    /** The node's refusal as kube-apiserver passes it on: the node's status code and its text as the message. */
    static ApiException nodeRefused(int status, String text) {
        String reason = switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            default -> "InternalError";
        };
        return new ApiException(status, reason, text, null);
    }

    /**
     * Whether {@code response} is the refusal of an exec, attach or port-forward request that asked for no upgrade.
     * A proxy that drops hop-by-hop headers ({@code Connection}, {@code Upgrade}) makes kubectl's requests look so.
     */
    public static boolean isUpgradeRequired(ApiResponse response) {
        if (!(response instanceof ApiResponse.Complete complete) || complete.status() != 400) {
            return false;
        }
        try {
            return UPGRADE_REQUIRED.equals(MAPPER.readTree(complete.body()).path("message").asText());
        } catch (java.io.IOException e) {
            return false; // not a Status: some other 400
        }
    }

    /**
     * The answer of a host that cannot upgrade connections (API Gateway, which ends every request with one
     * buffered response): 400, which kubectl's WebSocket attempt takes as a refusal and its SPDY one reports.
     *
     * @param instead what the user can do instead, a clause ("open a new connection for it")
     */
    public static ApiResponse cannotUpgrade(String host, String instead) {
        return new ApiResponse.Complete(400, Map.of("Content-Type", "application/json"), statusBody(
                ApiException.badRequest("exec, attach and port-forward need a connection upgrade, which " + host
                        + " cannot carry; " + instead)));
    }

    /** A Kubernetes {@code Status} failure as JSON ({@link StatusBuilder}), for hosts answering on their own. */
    static byte[] statusBody(ApiException error) {
        try {
            return MAPPER.writeValueAsBytes(StatusBuilder.status(MAPPER, error));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(JsonNode containers) {
        List<String> names = new ArrayList<>();
        containers.forEach(container -> names.add(container.path("name").asText()));
        return names;
    }

    private static String goList(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }
}
