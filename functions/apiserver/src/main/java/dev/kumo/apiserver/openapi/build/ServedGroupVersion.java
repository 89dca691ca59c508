package dev.kumo.apiserver.openapi.build;

import java.util.Map;
import java.util.Set;

/**
 * A group-version kumo serves, with its resources and each one's served subresources.
 *
 * @param group {@code ""} for the core group
 */
record ServedGroupVersion(String group, String version, Map<String, Set<String>> resources) {
    ServedGroupVersion {
        resources = Map.copyOf(resources);
    }

    /** The path of its v3 document below {@code /openapi/v3/}, which is also its REST path without the slash. */
    String v3Path() {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    /** Whether an OpenAPI path (e.g. {@code /apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale}) is served. */
    boolean serves(String apiPath) {
        String prefix = "/" + v3Path();
        if (!apiPath.equals(prefix) && !apiPath.startsWith(prefix + "/")) {
            return false;
        }
        return ResourcePath.parse(apiPath.substring(prefix.length()))
                .map(this::serves)
                .orElse(true);
    }

    private boolean serves(ResourcePath path) {
        Set<String> subresources = resources.get(path.resource());
        return subresources != null && (path.subresource() == null || subresources.contains(path.subresource()));
    }
}
