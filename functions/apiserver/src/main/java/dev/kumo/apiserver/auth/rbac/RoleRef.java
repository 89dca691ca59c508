package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;

/** The role a binding grants ({@code rbacv1.RoleRef}); immutable once the binding exists. */
public record RoleRef(String apiGroup, String kind, String name) {
    public static final String ROLE = "Role";
    public static final String CLUSTER_ROLE = "ClusterRole";

    public static RoleRef fromJson(JsonNode roleRef) {
        return new RoleRef(roleRef.path("apiGroup").asText(""), roleRef.path("kind").asText(""),
                roleRef.path("name").asText(""));
    }
}
