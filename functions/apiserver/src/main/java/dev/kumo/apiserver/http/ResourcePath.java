package dev.kumo.apiserver.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A parsed resource URL: {@code /api/v1[/watch]/namespaces/ns/pods/name/status} or
 * {@code /apis/group/version/...}. Namespace, name and subresource may be empty.
 */
public record ResourcePath(String group, String version, String namespace, String resource, String name,
                           String subresource, boolean legacyWatch) {

    /**
     * Parses a path under {@code /api} or {@code /apis}; empty if it is not a resource path (discovery paths, or
     * too short). {@code namespacedResource} tells whether a segment after {@code namespaces/<ns>/} names a resource
     * of that group/version (then the namespace scopes it) rather than a subresource of the namespace.
     */
    public static Optional<ResourcePath> parse(String path, NamespacedCheck namespacedResource) {
        List<String> segments = new ArrayList<>(Arrays.asList(path.replaceAll("^/+|/+$", "").split("/")));
        String group;
        String version;
        if (segments.size() >= 3 && segments.get(0).equals("api")) {
            group = "";
            version = segments.get(1);
            segments = segments.subList(2, segments.size());
        } else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
            group = segments.get(1);
            version = segments.get(2);
            segments = segments.subList(3, segments.size());
        } else {
            return Optional.empty();
        }
        boolean watch = false;
        if (!segments.isEmpty() && segments.get(0).equals("watch")) {
            watch = true;
            segments = segments.subList(1, segments.size());
        }
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        String namespace = "";
        if (segments.get(0).equals("namespaces") && segments.size() >= 3
                && namespacedResource.isNamespaced(group, version, segments.get(2))) {
            namespace = segments.get(1);
            segments = segments.subList(2, segments.size());
        }
        if (segments.size() > 3) {
            return Optional.empty();
        }
        return Optional.of(new ResourcePath(group, version, namespace, segments.get(0),
                segments.size() > 1 ? segments.get(1) : "", segments.size() > 2 ? segments.get(2) : "", watch));
    }

    @FunctionalInterface
    public interface NamespacedCheck {
        boolean isNamespaced(String group, String version, String resource);
    }
}
