package dev.kumo.apiserver.resources;

import dev.kumo.apiserver.auth.rbac.RbacResources;
import dev.kumo.apiserver.strategy.RbacStrategies;
import dev.kumo.apiserver.strategy.SimpleStrategies;
import dev.kumo.apiserver.table.RbacTables;
import dev.kumo.apiserver.table.TableConvertor;

import java.util.List;
import java.util.Set;

/**
 * RBAC's kinds ({@code rbac.authorization.k8s.io/v1}) and the access reviews ({@code authorization.k8s.io/v1},
 * and {@code authentication.k8s.io/v1} SelfSubjectReview), which answer a create and are never stored.
 */
final class AuthorizationResources {
    static final String AUTHORIZATION = "authorization.k8s.io";
    static final String AUTHENTICATION = "authentication.k8s.io";

    private AuthorizationResources() {
    }

    /** @param clusterRoles how ClusterRoles are served: with their aggregated rules, or as stored */
    static List<ResourceDefinition> rbac(Conversion clusterRoles) {
        return List.of(
                new ResourceDefinition(RbacResources.GROUP, "v1", "clusterrolebindings", "clusterrolebinding",
                        "ClusterRoleBinding", false, List.of(), List.of(), Set.of(),
                        RbacResources.CLUSTER_ROLE_BINDINGS, RbacStrategies.clusterRoleBindings(),
                        RbacTables.clusterRoleBindings(), Conversion.IDENTITY),
                new ResourceDefinition(RbacResources.GROUP, "v1", "clusterroles", "clusterrole", "ClusterRole",
                        false, List.of(), List.of(), Set.of(), RbacResources.CLUSTER_ROLES,
                        RbacStrategies.clusterRoles(), RbacTables.roles(), clusterRoles),
                new ResourceDefinition(RbacResources.GROUP, "v1", "rolebindings", "rolebinding", "RoleBinding",
                        true, List.of(), List.of(), Set.of(), RbacResources.ROLE_BINDINGS,
                        RbacStrategies.roleBindings(), RbacTables.roleBindings(), Conversion.IDENTITY),
                new ResourceDefinition(RbacResources.GROUP, "v1", "roles", "role", "Role", true, List.of(),
                        List.of(), Set.of(), RbacResources.ROLES, RbacStrategies.roles(), RbacTables.roles(),
                        Conversion.IDENTITY));
    }

    static List<ResourceDefinition> reviews() {
        return List.of(
                review(AUTHENTICATION, "selfsubjectreviews", "SelfSubjectReview", false),
                review(AUTHORIZATION, "localsubjectaccessreviews", "LocalSubjectAccessReview", true),
                review(AUTHORIZATION, "selfsubjectaccessreviews", "SelfSubjectAccessReview", false),
                review(AUTHORIZATION, "selfsubjectrulesreviews", "SelfSubjectRulesReview", false),
                review(AUTHORIZATION, "subjectaccessreviews", "SubjectAccessReview", false));
    }

    private static ResourceDefinition review(String group, String plural, String kind, boolean namespaced) {
        return new ResourceDefinition(group, "v1", plural, plural.substring(0, plural.length() - 1), kind,
                namespaced, List.of(), List.of(), Set.of(), group + "/" + plural, SimpleStrategies.plain(),
                TableConvertor.defaultColumns(), Conversion.IDENTITY, ResourceDefinition.CREATE_ONLY);
    }
}
