package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.registry.WriteListener;
import dev.kumo.apiserver.resources.ResourceDefinition;

/**
 * Tells the RBAC policy source of every Role, ClusterRole, RoleBinding and ClusterRoleBinding this process wrote,
 * before the write's response goes out, so that a cached policy never outlives a change made through this process.
 */
public final class RbacChanges implements WriteListener {
    private final PolicySource policies;

    public RbacChanges(PolicySource policies) {
        this.policies = policies;
    }

    @Override
    public void created(ResourceDefinition def, ObjectNode object) {
        changed(def);
    }

    @Override
    public void updated(ResourceDefinition def, ObjectNode object, ObjectNode old) {
        changed(def);
    }

    @Override
    public void deleted(ResourceDefinition def, ObjectNode object) {
        changed(def);
    }

    private void changed(ResourceDefinition def) {
        if (def.group().equals(RbacResources.GROUP)) {
            policies.changed();
        }
    }
}
