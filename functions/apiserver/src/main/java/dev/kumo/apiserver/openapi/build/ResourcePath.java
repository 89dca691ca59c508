package dev.kumo.apiserver.openapi.build;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The resource and subresource a Kubernetes REST path addresses, from the part after the group-version:
 * {@code [/watch][/namespaces/{namespace}]/<resource>[/{name}[/<subresource>[/...]]]}. The namespaces resource
 * itself is {@code /namespaces[/{name}[/<subresource>]]}.
 *
 * @param subresource {@code null} for the resource itself
 */
record ResourcePath(String resource, String subresource) {
    /** Empty for the group-version's own path (its resource list). */
    static Optional<ResourcePath> parse(String pathAfterGroupVersion) {
        List<String> segments = new ArrayList<>(Arrays.stream(pathAfterGroupVersion.split("/"))
                .filter(segment -> !segment.isEmpty())
                .toList());
        if (!segments.isEmpty() && segments.get(0).equals("watch")) {
            segments.remove(0);
        }
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        if (segments.size() >= 3 && segments.get(0).equals("namespaces") && segments.get(1).equals("{namespace}")) {
            segments = segments.subList(2, segments.size());
        }
        String subresource = segments.size() >= 3 ? segments.get(2) : null;
        return Optional.of(new ResourcePath(segments.get(0), subresource));
    }
}
