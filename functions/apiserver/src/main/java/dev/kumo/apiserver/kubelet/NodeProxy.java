package dev.kumo.apiserver.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.auth.tokens.TokenIssuer;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.resources.ResourceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code nodes/proxy} subresource, {@code /api/v1/nodes/{name}/proxy/{path}}: kube-apiserver's way to a node's
 * kubelet ({@code kubectl get --raw /api/v1/nodes/<n>/proxy/stats/summary}, metrics-server). The request was
 * authorized already ({@code get nodes/proxy}); here the node is located and the request is relayed with the API
 * server's token for it, and the node's answer (status, content type, body) is passed back as it is.
 *
 * <p>kube-apiserver relays any method and path; kumo relays GET of the kubelet endpoint's read-only paths,
 * {@value #PATHS_TEXT}: logs, exec and port-forward have their pod subresources, and a node agent serves nothing else.
 */
public final class NodeProxy {
    private static final Logger LOG = LoggerFactory.getLogger(NodeProxy.class);
    private static final Pattern PROXY_PATH = Pattern.compile("^/api/v1/nodes/([^/]+)/proxy(?:/(.*))?$");
    static final String PATHS_TEXT = "stats/summary, healthz";
    static final Set<String> PATHS = Set.of("stats/summary", "healthz");
    /** Larger than any summary of a full node (110 pods). */
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final GenericRegistry registry;
    private final ResourceDefinition nodes;
    private final KubeletRequests kubelet;

    public NodeProxy(GenericRegistry registry, ResourceDefinition nodes, TokenIssuer tokens) {
        this.registry = registry;
        this.nodes = nodes;
        this.kubelet = new KubeletRequests(tokens);
    }

    /** Whether {@code path} (no trailing slash) names the proxy subresource of a node. */
    public static boolean matches(String path) {
        return PROXY_PATH.matcher(path).matches();
    }

    public ApiResponse handle(ApiRequest request, String path) {
        Matcher matcher = PROXY_PATH.matcher(path);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a node proxy path: " + path);
        }
        String name = matcher.group(1);
        String target = matcher.group(2) == null ? "" : matcher.group(2);
        if (!request.method().equals("GET")) {
            throw ApiException.methodNotAllowed(request.method() + " is not allowed on nodes/proxy: kumo relays GET of "
                    + PATHS_TEXT);
        }
        ObjectNode node = registry.find(nodes, "", name)
                .orElseThrow(() -> ApiException.notFound("", "nodes", "nodes", name));
        if (!PATHS.contains(target)) {
            throw ApiException.notFoundPath("node \"" + name + "\": kumo relays only " + PATHS_TEXT
                    + " to a node's kubelet endpoint, not \"/" + target + "\"");
        }
        NodeEndpoint endpoint = NodeEndpoint.of(node);
        String relayed = "/" + target + query(request.query());
        LOG.atDebug().addKeyValue("node", name).addKeyValue("path", relayed)
                .addKeyValue("user", request.requireUser().name()).log("proxying a request to the node");
        KubeletRequests.Answer answer = kubelet.get(endpoint, relayed, "nodes/proxy");
        try (answer; InputStream body = answer.response().body()) {
            byte[] bytes = body.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw ApiException.internal("the answer of node \"" + name + "\" to " + relayed + " exceeds "
                        + MAX_BODY + " bytes");
            }
            String contentType = answer.response().headers().firstValue("Content-Type").orElse("text/plain");
            return new ApiResponse.Complete(answer.response().statusCode(), Map.of("Content-Type", contentType),
                    bytes);
        } catch (IOException e) {
            throw KubeletRequests.unreachable(endpoint, e);
        }
    }

    private static String query(Map<String, List<String>> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "");
        query.setEmptyValue("");
        parameters.forEach((key, values) -> values.forEach(value ->
                query.add(KubeletRequests.encode(key) + "=" + KubeletRequests.encode(value))));
        return query.toString();
    }
}
