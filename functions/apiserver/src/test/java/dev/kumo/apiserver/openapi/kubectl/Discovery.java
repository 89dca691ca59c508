package dev.kumo.apiserver.openapi.kubectl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** A fixed discovery of the resources kumo serves, enough for kubectl to resolve names; for tests with kubectl only. */
public final class Discovery {
    private record Resource(String name, String singular, String kind, boolean namespaced, String... shortNames) {
    }

    private record GroupVersion(String group, String version, List<Resource> resources) {
        String path() {
            return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        }

        String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    private static final List<GroupVersion> GROUP_VERSIONS = List.of(
            new GroupVersion("", "v1", List.of(
                    new Resource("namespaces", "namespace", "Namespace", false, "ns"),
                    new Resource("pods", "pod", "Pod", true, "po"),
                    new Resource("nodes", "node", "Node", false, "no"),
                    new Resource("services", "service", "Service", true, "svc"),
                    new Resource("endpoints", "endpoints", "Endpoints", true, "ep"),
                    new Resource("configmaps", "configmap", "ConfigMap", true, "cm"),
                    new Resource("secrets", "secret", "Secret", true),
                    new Resource("serviceaccounts", "serviceaccount", "ServiceAccount", true, "sa"),
                    new Resource("events", "event", "Event", true, "ev"))),
            new GroupVersion("apps", "v1", List.of(
                    new Resource("deployments", "deployment", "Deployment", true, "deploy"),
                    new Resource("replicasets", "replicaset", "ReplicaSet", true, "rs"))),
            new GroupVersion("coordination.k8s.io", "v1", List.of(new Resource("leases", "lease", "Lease", true))),
            new GroupVersion("discovery.k8s.io", "v1", List.of(
                    new Resource("endpointslices", "endpointslice", "EndpointSlice", true))),
            new GroupVersion("events.k8s.io", "v1", List.of(new Resource("events", "event", "Event", true, "ev"))));

    private final ObjectMapper json = new ObjectMapper();

    /** The discovery document at {@code path}, if it is one. */
    public Optional<ObjectNode> document(String path) {
        if (path.equals("/api")) {
            ObjectNode versions = json.createObjectNode().put("kind", "APIVersions");
            versions.putArray("versions").add("v1");
            versions.putArray("serverAddressByClientCIDRs").addObject()
                    .put("clientCIDR", "0.0.0.0/0").put("serverAddress", "127.0.0.1");
            return Optional.of(versions);
        }
        if (path.equals("/apis")) {
            return Optional.of(groupList());
        }
        return GROUP_VERSIONS.stream().filter(groupVersion -> groupVersion.path().equals(path)).findFirst()
                .map(this::resourceList);
    }

    private ObjectNode groupList() {
        ObjectNode list = json.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        for (GroupVersion groupVersion : GROUP_VERSIONS) {
            if (groupVersion.group().isEmpty()) {
                continue;
            }
            ObjectNode group = groups.addObject().put("name", groupVersion.group());
            ObjectNode version = json.createObjectNode()
                    .put("groupVersion", groupVersion.groupVersion()).put("version", groupVersion.version());
            group.putArray("versions").add(version);
            group.set("preferredVersion", version.deepCopy());
        }
        return list;
    }

    private ObjectNode resourceList(GroupVersion groupVersion) {
        ObjectNode list = json.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", groupVersion.groupVersion());
        ArrayNode resources = list.putArray("resources");
        for (Resource resource : groupVersion.resources()) {
            ObjectNode entry = resources.addObject()
                    .put("name", resource.name()).put("singularName", resource.singular())
                    .put("namespaced", resource.namespaced()).put("kind", resource.kind());
            ArrayNode verbs = entry.putArray("verbs");
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch").forEach(verbs::add);
            if (resource.shortNames().length > 0) {
                ArrayNode shortNames = entry.putArray("shortNames");
                List.of(resource.shortNames()).forEach(shortNames::add);
            }
        }
        return list;
    }
}
