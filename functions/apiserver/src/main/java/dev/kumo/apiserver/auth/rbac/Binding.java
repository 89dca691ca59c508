package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.meta.Meta;

import java.util.ArrayList;
import java.util.List;

/**
 * A RoleBinding (namespace set) or ClusterRoleBinding (namespace empty), reduced to what authorization needs.
 */
public record Binding(String namespace, String name, RoleRef roleRef, List<Subject> subjects) {
    public Binding {
        subjects = List.copyOf(subjects);
    }

    public static Binding fromJson(JsonNode binding) {
        List<Subject> subjects = new ArrayList<>();
        binding.path("subjects").forEach(subject -> subjects.add(Subject.fromJson(subject)));
        return new Binding(Meta.namespace(binding), Meta.name(binding), RoleRef.fromJson(binding.path("roleRef")),
                subjects);
    }

    public boolean clusterWide() {
        return namespace.isEmpty();
    }

    /**
     * How reasons name the grant: {@code ClusterRoleBinding "x" of ClusterRole "y" to User "z"}, or for a
     * RoleBinding {@code RoleBinding "x/ns" of Role "y" to ...} (Kubernetes' binding describers).
     */
    public String describe(Subject subject) {
        String binding = clusterWide() ? "ClusterRoleBinding " + PolicyRule.goQuoted(name)
                : "RoleBinding " + PolicyRule.goQuoted(name + "/" + namespace);
        return binding + " of " + roleRef.kind() + " " + PolicyRule.goQuoted(roleRef.name()) + " to "
                + subject.describe(namespace);
    }
}
