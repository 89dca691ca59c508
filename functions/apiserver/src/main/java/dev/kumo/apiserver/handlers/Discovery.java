package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.resources.ResourceRegistry;

import java.util.List;
import java.util.Map;

/**
 * API discovery: the legacy documents ({@code APIVersions}, {@code APIGroupList}, {@code APIResourceList}) and the
 * aggregated {@code APIGroupDiscoveryList} that kubectl 1.26+ asks for first (v2beta1 up to 1.29, v2 after).
 */
public final class Discovery {
    /** The subresources' kinds and verbs, as kube-apiserver reports them. */
    private static final Map<String, List<String>> SUBRESOURCE_VERBS = Map.of(
            "status", List.of("get", "patch", "update"),
            "scale", List.of("get", "patch", "update"),
            "binding", List.of("create"),
            "finalize", List.of("update"),
            "token", List.of("create"),
            // kube-apiserver lists create, delete, get, patch and update; kumo relays GET only
            "proxy", List.of("get"));

    private final ObjectMapper mapper;
    private final ResourceRegistry resources;

    public Discovery(ObjectMapper mapper, ResourceRegistry resources) {
        this.mapper = mapper;
        this.resources = resources;
    }

    public ObjectNode apiVersions() {
        ObjectNode versions = mapper.createObjectNode();
        versions.put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        versions.putArray("serverAddressByClientCIDRs").addObject()
                .put("clientCIDR", "0.0.0.0/0").put("serverAddress", "");
        return versions;
    }

    public ObjectNode apiGroupList() {
        ObjectNode list = mapper.createObjectNode();
        list.put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        resources.groups().forEach(group -> groups.add(apiGroup(group)));
        return list;
    }

    public ObjectNode apiGroup(String group) {
        String version = resources.all().stream().filter(d -> d.group().equals(group)).findFirst()
                .map(ResourceDefinition::version).orElse("v1");
        ObjectNode node = mapper.createObjectNode();
        node.put("kind", "APIGroup").put("apiVersion", "v1").put("name", group);
        node.putArray("versions").addObject().put("groupVersion", group + "/" + version).put("version", version);
        node.putObject("preferredVersion").put("groupVersion", group + "/" + version).put("version", version);
        return node;
    }

    public ObjectNode apiResourceList(String group, String version) {
        ObjectNode list = mapper.createObjectNode();
        list.put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode items = list.putArray("resources");
        for (ResourceDefinition def : resources.inGroupVersion(group, version)) {
            ObjectNode resource = items.addObject();
            resource.put("name", def.plural()).put("singularName", def.singular())
                    .put("namespaced", def.namespaced()).put("kind", def.kind());
            strings(resource.putArray("verbs"), def.verbs());
            if (!def.shortNames().isEmpty()) {
                strings(resource.putArray("shortNames"), def.shortNames());
            }
            if (!def.categories().isEmpty()) {
                strings(resource.putArray("categories"), def.categories());
            }
            for (String subresource : def.subresources().stream().sorted().toList()) {
                ObjectNode sub = items.addObject();
                sub.put("name", def.plural() + "/" + subresource).put("singularName", "")
                        .put("namespaced", def.namespaced());
                Kind kind = subresourceKind(def, subresource);
                if (!kind.group().equals(def.group())) {
                    sub.put("group", kind.group()).put("version", kind.version());
                }
                sub.put("kind", kind.kind());
                strings(sub.putArray("verbs"), SUBRESOURCE_VERBS.getOrDefault(subresource, List.of("get")));
            }
        }
        return list;
    }

    /** The aggregated document for {@code /api} (legacy = true) or {@code /apis}, in apidiscovery {@code version}. */
    public ObjectNode aggregated(boolean legacy, String discoveryVersion) {
        ObjectNode list = mapper.createObjectNode();
        list.put("kind", "APIGroupDiscoveryList").put("apiVersion", "apidiscovery.k8s.io/" + discoveryVersion);
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        List<String> groups = legacy ? List.of("") : resources.groups();
        for (String group : groups) {
            ObjectNode item = items.addObject();
            ObjectNode metadata = item.putObject("metadata");
            metadata.put("name", group);
            String version = resources.all().stream().filter(d -> d.group().equals(group)).findFirst()
                    .map(ResourceDefinition::version).orElse("v1");
            ObjectNode versionNode = item.putArray("versions").addObject();
            versionNode.put("version", version).put("freshness", "Current");
            ArrayNode resourceNodes = versionNode.putArray("resources");
            for (ResourceDefinition def : resources.inGroupVersion(group, version)) {
                ObjectNode resource = resourceNodes.addObject();
                resource.put("resource", def.plural());
                resource.putObject("responseKind").put("group", def.group()).put("version", def.version())
                        .put("kind", def.kind());
                resource.put("scope", def.namespaced() ? "Namespaced" : "Cluster")
                        .put("singularResource", def.singular());
                strings(resource.putArray("verbs"), def.verbs());
                if (!def.shortNames().isEmpty()) {
                    strings(resource.putArray("shortNames"), def.shortNames());
                }
                if (!def.categories().isEmpty()) {
                    strings(resource.putArray("categories"), def.categories());
                }
                if (!def.subresources().isEmpty()) {
                    ArrayNode subs = resource.putArray("subresources");
                    for (String subresource : def.subresources().stream().sorted().toList()) {
                        Kind kind = subresourceKind(def, subresource);
                        ObjectNode sub = subs.addObject().put("subresource", subresource);
                        sub.putObject("responseKind").put("group", kind.group()).put("version", kind.version())
                                .put("kind", kind.kind());
                        strings(sub.putArray("verbs"), SUBRESOURCE_VERBS.getOrDefault(subresource, List.of("get")));
                    }
                }
            }
        }
        return list;
    }

    private record Kind(String group, String version, String kind) {
    }

    private static Kind subresourceKind(ResourceDefinition def, String subresource) {
        return switch (subresource) {
            case "scale" -> new Kind("autoscaling", "v1", "Scale");
            case "binding" -> new Kind("", "v1", "Binding");
            case "token" -> new Kind("authentication.k8s.io", "v1", "TokenRequest");
            case "proxy" -> new Kind("", "v1", "NodeProxyOptions");
            default -> new Kind(def.group(), def.version(), def.kind());
        };
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
