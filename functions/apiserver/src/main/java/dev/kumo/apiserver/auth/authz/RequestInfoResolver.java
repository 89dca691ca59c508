package dev.kumo.apiserver.auth.authz;

import dev.kumo.apiserver.http.ApiRequest;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a request's {@link RequestInfo} from its method, path and query, by kube-apiserver's rules
 * ({@code RequestInfoFactory}): {@code /api/v1/namespaces/ns/pods/name/status} is verb get on pods/status named
 * name in ns; GET of a collection is list, or watch with {@code watch=true} or the legacy {@code /watch/} prefix;
 * DELETE of a collection is deletecollection; anything outside {@code /api} and {@code /apis} is a non-resource
 * request whose verb is the lower-cased method.
 */
public final class RequestInfoResolver {
    /** Subresources of a namespace: {@code /api/v1/namespaces/ns/status} names the namespace, not a resource. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
    private static final Pattern EDGE_SLASHES = Pattern.compile("^/+|/+$");

    private RequestInfoResolver() {
    }

    public static RequestInfo resolve(ApiRequest request) {
        String path = request.path();
        List<String> parts = Arrays.asList(EDGE_SLASHES.matcher(path).replaceAll("").split("/"));
        String method = request.method();
        if (parts.isEmpty() || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
            return RequestInfo.nonResource(method.toLowerCase(java.util.Locale.ROOT), path);
        }
        boolean legacy = parts.get(0).equals("api");
        int minimum = legacy ? 3 : 4; // /api/v1/<resource>, /apis/<group>/<version>/<resource>
        if (parts.size() < minimum) {
            return RequestInfo.nonResource(method.toLowerCase(java.util.Locale.ROOT), path);
        }
        String group = legacy ? "" : parts.get(1);
        String version = legacy ? parts.get(1) : parts.get(2);
        List<String> rest = parts.subList(minimum - 1, parts.size());
        String verb = switch (method) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
        };
        if (rest.get(0).equals("watch")) {
            verb = "watch";
            rest = rest.subList(1, rest.size());
            if (rest.isEmpty()) {
                return RequestInfo.nonResource(method.toLowerCase(java.util.Locale.ROOT), path);
            }
        }
        String namespace = "";
        // As in Kubernetes, a namespace object (/namespaces/ns, /namespaces/ns/status) counts as inside itself.
        if (rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = rest.subList(2, rest.size());
            }
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        // as Kubernetes: parts after the subresource (nodes/n/proxy/stats/summary) are not part of it
        String subresource = rest.size() > 2 ? rest.get(2) : "";
        String fieldSelector = request.param("fieldSelector");
        if (name.isEmpty()) {
            if (verb.equals("get")) {
                verb = request.flag("watch") ? "watch" : "list";
            } else if (verb.equals("delete")) {
                verb = "deletecollection";
            }
            if ((verb.equals("list") || verb.equals("watch")) && fieldSelector != null) {
                name = singleName(fieldSelector); // a list narrowed to one name is authorized as that name
            }
        }
        return new RequestInfo(true, path, verb, group, version, namespace, resource, subresource, name,
                fieldSelector);
    }

    /** The name a field selector pins ({@code metadata.name=x}), as kube-apiserver authorizes such lists; else "". */
    private static String singleName(String fieldSelector) {
        for (String term : fieldSelector.split(",")) {
            String trimmed = term.strip();
            for (String operator : List.of("==", "=")) {
                String prefix = "metadata.name" + operator;
                if (trimmed.startsWith(prefix) && !trimmed.startsWith("metadata.name!=")) {
                    return trimmed.substring(prefix.length());
                }
            }
        }
        return "";
    }
}
