package dev.kumo.apiserver.openapi.build;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What kumo serves, and so what its OpenAPI documents describe: the one list to extend when kumo serves more.
 * A resource's subresources are listed with it; paths of anything else are dropped from the documents.
 */
final class ServedApis {
    /**
     * Whether kumo's API server enforces the {@code fieldValidation} query parameter (rejecting unknown fields on
     * {@code fieldValidation=Strict}). kubectl looks for that parameter on the resource's PATCH operation in the
     * OpenAPI documents: where it finds it, kubectl leaves validation to the server and skips its own; where it
     * does not, kubectl validates the object against the schema before sending it. While this is false the
     * parameter is removed from every operation, so kubectl's client-side validation catches unknown fields.
     */
    static final boolean SERVER_ENFORCES_FIELD_VALIDATION = false;

    static final List<ServedGroupVersion> ALL = List.of(
            new ServedGroupVersion("", "v1", union(Map.of(
                    "namespaces", Set.of(),
                    // pods/log: add here once the API server serves it. (nodes/token is kumo's own: no upstream path.)
                    "pods", Set.of("status", "binding"),
                    "nodes", Set.of("status"),
                    "services", Set.of("status"),
                    "endpoints", Set.of(),
                    "configmaps", Set.of(),
                    "secrets", Set.of(),
                    "serviceaccounts", Set.of("token"),
                    "events", Set.of()), Map.of(
                    "limitranges", Set.of(),
                    "resourcequotas", Set.of("status")))),
            new ServedGroupVersion("apps", "v1", Map.of(
                    "deployments", Set.of("status", "scale"),
                    "replicasets", Set.of("status", "scale"))),
            new ServedGroupVersion("coordination.k8s.io", "v1", Map.of("leases", Set.of())),
            new ServedGroupVersion("discovery.k8s.io", "v1", Map.of("endpointslices", Set.of())),
            new ServedGroupVersion("events.k8s.io", "v1", Map.of("events", Set.of())),
            new ServedGroupVersion("rbac.authorization.k8s.io", "v1", Map.of(
                    "clusterrolebindings", Set.of(),
                    "clusterroles", Set.of(),
                    "rolebindings", Set.of(),
                    "roles", Set.of())),
            new ServedGroupVersion("authentication.k8s.io", "v1", Map.of("selfsubjectreviews", Set.of())),
            new ServedGroupVersion("authorization.k8s.io", "v1", Map.of(
                    "localsubjectaccessreviews", Set.of(),
                    "selfsubjectaccessreviews", Set.of(),
                    "selfsubjectrulesreviews", Set.of(),
                    "subjectaccessreviews", Set.of())));

    private ServedApis() {
    }

    /** Core v1 is more than one {@code Map.of} holds. */
    @SafeVarargs
    private static Map<String, Set<String>> union(Map<String, Set<String>>... parts) {
        Map<String, Set<String>> all = new java.util.HashMap<>();
        for (Map<String, Set<String>> part : parts) {
            all.putAll(part);
        }
        return all;
    }
}
