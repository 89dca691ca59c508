package dev.kumo.controllers.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The namespaced resources a namespace can hold, read from the API's discovery documents as kube's namespace
 * controller reads them ({@code ServerPreferredNamespacedResources} filtered to those supporting {@code delete}):
 * {@code /api} and {@code /apis}, then each group version, the preferred version first (a resource a later version
 * repeats is taken once). Subresources are left out. A group version whose document cannot be read is reported in
 * {@link Result#failedGroups()} and the others are still returned; a group version string that does not parse fails
 * the whole list ({@code GroupVersionResources} does), reported in {@link Result#parseError()}.
 */
final class ApiDiscovery {
    /** A namespaced resource that supports delete, and whether it supports list and deletecollection. */
    record Resource(ResourceType type, boolean list, boolean deleteCollection) {
        /** kube's condition wording: {@code <resource>.<group>}. */
        String label() {
            return type.plural() + "." + type.group();
        }

        /** {@code GroupVersionResource.String()}: {@code group/version, Resource=plural}. */
        String gvr() {
            return type.group() + "/" + type.version() + ", Resource=" + type.plural();
        }
    }

    /**
     * @param failure      when not empty, discovery failed: the whole of it ({@code /api}, {@code /apis}) or some
     *                     groups ({@link #failedGroups})
     * @param failedGroups group version → the error reading it
     * @param parseError   a group version that does not parse, or empty
     */
    record Result(List<Resource> resources, String failure, Map<String, String> failedGroups, String parseError) {
    }

    private final KubeClient client;

    ApiDiscovery(KubeClient client) {
        this.client = client;
    }

    Result namespacedDeletableResources() {
        List<String> groupVersions = new ArrayList<>();
        try {
            client.getPath("/api").path("versions").forEach(v -> groupVersions.add(v.asText()));
            for (JsonNode group : client.getPath("/apis").path("groups")) {
                String preferred = group.path("preferredVersion").path("groupVersion").asText("");
                if (!preferred.isEmpty()) {
                    groupVersions.add(preferred);
                }
                for (JsonNode version : group.path("versions")) {
                    String groupVersion = version.path("groupVersion").asText("");
                    if (!groupVersion.isEmpty() && !groupVersion.equals(preferred)) {
                        groupVersions.add(groupVersion);
                    }
                }
            }
        } catch (ApiError | UncheckedIOException e) {
            return new Result(List.of(), e.getMessage(), Map.of(), "");
        }
        Map<String, String> failed = new TreeMap<>();
        Map<String, Resource> resources = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String groupVersion : groupVersions) {
            String[] parts = groupVersion.split("/", -1);
            if (parts.length > 2) {
                return new Result(List.of(), "", failed, "unexpected GroupVersion string: " + groupVersion);
            }
            String group = parts.length == 2 ? parts[0] : "";
            String version = parts.length == 2 ? parts[1] : parts[0];
            ObjectNode list;
            try {
                list = client.getPath(group.isEmpty() ? "/api/" + version : "/apis/" + groupVersion);
            } catch (ApiError | UncheckedIOException e) {
                failed.put(groupVersion, e.getMessage());
                continue;
            }
            for (JsonNode resource : list.path("resources")) {
                String name = resource.path("name").asText("");
                Set<String> verbs = new HashSet<>();
                resource.path("verbs").forEach(v -> verbs.add(v.asText()));
                if (name.isEmpty() || name.contains("/") || !resource.path("namespaced").asBoolean(false)
                        || !verbs.contains("delete") || !seen.add(group + "/" + name)) {
                    continue;
                }
                resources.put(group + "/" + name, new Resource(new ResourceType(group, version, name, true),
                        verbs.contains("list"), verbs.contains("deletecollection")));
            }
        }
        String failure = failed.isEmpty() ? "" : groupsFailure(failed);
        return new Result(List.copyOf(resources.values()), failure, failed, "");
    }

    /** client-go's {@code ErrGroupDiscoveryFailed.Error()}. */
    private static String groupsFailure(Map<String, String> failed) {
        List<String> groups = new ArrayList<>();
        failed.forEach((groupVersion, error) -> groups.add(groupVersion + ": " + error));
        return "unable to retrieve the complete list of server APIs: " + String.join(", ", groups);
    }
}
