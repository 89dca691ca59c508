package dev.kumo.apiserver.auth.rbac;

/** Gives the RBAC policy as it is now. */
public interface PolicySource {
    /**
     * The current policy; with {@code namespaced} false only its cluster-scoped half (ClusterRoles and
     * ClusterRoleBindings) need be current, as nothing else decides cluster-scoped requests.
     */
    RbacPolicy policy(boolean namespaced);

    /** An RBAC object was written through this process (a source that caches drops what the write made stale). */
    default void changed() {
    }

    /** A policy that never changes (tests, tools). */
    static PolicySource of(RbacPolicy policy) {
        return namespaced -> policy;
    }
}
