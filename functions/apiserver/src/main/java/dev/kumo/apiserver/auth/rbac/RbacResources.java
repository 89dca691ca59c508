package dev.kumo.apiserver.auth.rbac;

import java.util.List;

/** The RBAC API group and where its four kinds are stored. */
public final class RbacResources {
    public static final String GROUP = "rbac.authorization.k8s.io";
    public static final String ROLES = GROUP + "/roles";
    public static final String ROLE_BINDINGS = GROUP + "/rolebindings";
    public static final String CLUSTER_ROLES = GROUP + "/clusterroles";
    public static final String CLUSTER_ROLE_BINDINGS = GROUP + "/clusterrolebindings";
    /** What cluster-scoped decisions depend on. */
    static final List<String> CLUSTER_SCOPED = List.of(CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES);
    /** What decisions in a namespace depend on. */
    static final List<String> ALL = List.of(CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, ROLE_BINDINGS, ROLES);

    private RbacResources() {
    }
}
