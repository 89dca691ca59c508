package dev.kumo.apiserver.auth.rbac;

import dev.kumo.apiserver.auth.UserInfo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the rules that apply to a user in a namespace (Kubernetes' {@code DefaultRuleResolver}): those of every
 * ClusterRoleBinding naming the user, then, in a namespace, those of the namespace's RoleBindings naming the user,
 * which may reference a Role of the namespace or a ClusterRole (granted in that namespace only).
 */
public final class RuleResolver {
    /** Receives each rule with the grant it comes from, and each binding whose role cannot be found. */
    public interface Visitor {
        /** Returns false to stop visiting. */
        boolean visit(Grant grant, PolicyRule rule);

        /** Returns false to stop visiting. */
        boolean error(String message);
    }

    /** Where a rule comes from: a binding and the subject in it that names the user. */
    public record Grant(Binding binding, Subject subject) {
        public String describe() {
            return binding.describe(subject);
        }
    }

    /** A role reference's rules, or why it has none. */
    public record RoleRules(List<PolicyRule> rules, RoleNotFound missing) {
        public boolean found() {
            return missing == null;
        }
    }

    /** A binding names a role that does not exist (or a kind that is no role). */
    public record RoleNotFound(String kind, String name) {
        /** As the authorizer words it (from its informer's lister, which names the kind in the singular). */
        public String listerMessage() {
            return switch (kind) {
                case RoleRef.ROLE -> "role.rbac.authorization.k8s.io " + PolicyRule.goQuoted(name) + " not found";
                case RoleRef.CLUSTER_ROLE -> "clusterrole.rbac.authorization.k8s.io " + PolicyRule.goQuoted(name)
                        + " not found";
                default -> "unsupported role reference kind: " + PolicyRule.goQuoted(kind);
            };
        }
    }

    private final RbacPolicy policy;

    public RuleResolver(RbacPolicy policy) {
        this.policy = policy;
    }

    public void visitRulesFor(UserInfo user, String namespace, Visitor visitor) {
        for (Binding binding : policy.clusterRoleBindings()) {
            if (!visitBinding(user, binding, "", visitor)) {
                return;
            }
        }
        if (namespace.isEmpty()) {
            return;
        }
        for (Binding binding : policy.roleBindings(namespace)) {
            if (!visitBinding(user, binding, namespace, visitor)) {
                return;
            }
        }
    }

    private boolean visitBinding(UserInfo user, Binding binding, String namespace, Visitor visitor) {
        Subject subject = binding.subjects().stream().filter(s -> s.appliesTo(user, namespace)).findFirst()
                .orElse(null);
        if (subject == null) {
            return true;
        }
        RoleRules rules = roleReferenceRules(binding.roleRef(), namespace);
        if (!rules.found()) {
            return visitor.error(rules.missing().listerMessage());
        }
        Grant grant = new Grant(binding, subject);
        for (PolicyRule rule : rules.rules()) {
            if (!visitor.visit(grant, rule)) {
                return false;
            }
        }
        return true;
    }

    /** The rules a binding in {@code bindingNamespace} ("" for a ClusterRoleBinding) grants through its role. */
    public RoleRules roleReferenceRules(RoleRef roleRef, String bindingNamespace) {
        return switch (roleRef.kind()) {
            case RoleRef.ROLE -> policy.role(bindingNamespace, roleRef.name())
                    .map(role -> new RoleRules(role.rules(), null))
                    .orElse(new RoleRules(List.of(), new RoleNotFound(roleRef.kind(), roleRef.name())));
            case RoleRef.CLUSTER_ROLE -> policy.clusterRole(roleRef.name())
                    .map(role -> new RoleRules(policy.rulesOf(role), null))
                    .orElse(new RoleRules(List.of(), new RoleNotFound(roleRef.kind(), roleRef.name())));
            default -> new RoleRules(List.of(), new RoleNotFound(roleRef.kind(), roleRef.name()));
        };
    }

    /** Every rule that applies, and the errors met on the way ({@code RulesFor}). */
    public Resolved rulesFor(UserInfo user, String namespace) {
        List<PolicyRule> rules = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        visitRulesFor(user, namespace, new Visitor() {
            @Override
            public boolean visit(Grant grant, PolicyRule rule) {
                rules.add(rule);
                return true;
            }

            @Override
            public boolean error(String message) {
                errors.add(message);
                return true;
            }
        });
        return new Resolved(rules, aggregate(errors));
    }

    /** The rules found, and the errors met as one message ("" when none). */
    public record Resolved(List<PolicyRule> rules, String error) {
    }

    /** Several errors as one message, as {@code utilerrors.NewAggregate} words them: duplicates once, in brackets. */
    public static String aggregate(List<String> errors) {
        Set<String> distinct = new LinkedHashSet<>(errors);
        if (distinct.isEmpty()) {
            return "";
        }
        return distinct.size() == 1 ? distinct.iterator().next() : "[" + String.join(", ", distinct) + "]";
    }
}
