package dev.kumo.apiserver.auth.rbac;

import dev.kumo.apimachinery.selection.LabelSelector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The RBAC objects of the cluster at one moment, indexed for authorization: roles by name, bindings in name order
 * (cluster-wide, and per namespace). Immutable.
 *
 * <p>Aggregated ClusterRoles ({@code aggregationRule.clusterRoleSelectors}) are evaluated here, live: their rules
 * are the union of the rules of every other ClusterRole their selectors match, in selector order and then by name,
 * as Kubernetes' aggregation controller would write them into the object, followed transitively (an aggregated
 * role selected by another contributes its own aggregate, the state the controller converges to). The rules
 * stored in an aggregated role are ignored, as the controller overwrites them.
 */
public final class RbacPolicy {
    public static final RbacPolicy EMPTY = new RbacPolicy(List.of(), List.of(), List.of(), List.of());

    private final Map<String, Role> clusterRoles;
    private final Map<String, Role> roles;
    private final List<Binding> clusterRoleBindings;
    private final Map<String, List<Binding>> roleBindings;
    private final Map<String, List<PolicyRule>> aggregatedRules;

    public RbacPolicy(Collection<Role> clusterRoles, Collection<Role> roles, Collection<Binding> clusterRoleBindings,
                      Collection<Binding> roleBindings) {
        Map<String, Role> clusterRolesByName = new TreeMap<>();
        clusterRoles.forEach(role -> clusterRolesByName.put(role.name(), role));
        this.clusterRoles = clusterRolesByName;
        Map<String, Role> rolesByKey = new TreeMap<>();
        roles.forEach(role -> rolesByKey.put(key(role.namespace(), role.name()), role));
        this.roles = rolesByKey;
        this.clusterRoleBindings = clusterRoleBindings.stream().sorted(Comparator.comparing(Binding::name)).toList();
        Map<String, List<Binding>> byNamespace = new TreeMap<>();
        roleBindings.stream().sorted(Comparator.comparing(Binding::name))
                .forEach(binding -> byNamespace.computeIfAbsent(binding.namespace(), n -> new ArrayList<>())
                        .add(binding));
        byNamespace.replaceAll((namespace, bindings) -> List.copyOf(bindings));
        this.roleBindings = byNamespace;
        Map<String, List<PolicyRule>> aggregated = new LinkedHashMap<>();
        for (Role role : this.clusterRoles.values()) {
            if (role.aggregated()) {
                aggregated.put(role.name(), List.copyOf(aggregate(role, new HashSet<>())));
            }
        }
        this.aggregatedRules = aggregated;
    }

    /** This policy with one kind's objects replaced, the others kept. */
    public RbacPolicy withClusterRoles(Collection<Role> replaced) {
        return new RbacPolicy(replaced, roles.values(), clusterRoleBindings, allRoleBindings());
    }

    public RbacPolicy withRoles(Collection<Role> replaced) {
        return new RbacPolicy(clusterRoles.values(), replaced, clusterRoleBindings, allRoleBindings());
    }

    public RbacPolicy withClusterRoleBindings(Collection<Binding> replaced) {
        return new RbacPolicy(clusterRoles.values(), roles.values(), replaced, allRoleBindings());
    }

    public RbacPolicy withRoleBindings(Collection<Binding> replaced) {
        return new RbacPolicy(clusterRoles.values(), roles.values(), clusterRoleBindings, replaced);
    }

    public Optional<Role> clusterRole(String name) {
        return Optional.ofNullable(clusterRoles.get(name));
    }

    public Optional<Role> role(String namespace, String name) {
        return Optional.ofNullable(roles.get(key(namespace, name)));
    }

    /** Every ClusterRole, by name. */
    public Collection<Role> clusterRoles() {
        return clusterRoles.values();
    }

    /** ClusterRoleBindings in name order. */
    public List<Binding> clusterRoleBindings() {
        return clusterRoleBindings;
    }

    /** The RoleBindings of one namespace, in name order. */
    public List<Binding> roleBindings(String namespace) {
        return roleBindings.getOrDefault(namespace, List.of());
    }

    /** The rules a ClusterRole grants: its own, or for an aggregated one the union it selects. */
    public List<PolicyRule> rulesOf(Role clusterRole) {
        return clusterRole.aggregated() ? aggregatedRules.getOrDefault(clusterRole.name(), List.of())
                : clusterRole.rules();
    }

    private List<Binding> allRoleBindings() {
        return roleBindings.values().stream().flatMap(List::stream).toList();
    }

    private List<PolicyRule> aggregate(Role role, Set<String> visiting) {
        if (!role.aggregated()) {
            return role.rules();
        }
        if (!visiting.add(role.name())) {
            return List.of(); // a cycle of aggregated roles: each contributes what the others gather
        }
        List<PolicyRule> union = new ArrayList<>();
        for (LabelSelector selector : role.aggregationSelectors()) {
            for (Role other : clusterRoles.values()) {
                if (other.name().equals(role.name()) || !selector.matches(other.labels())) {
                    continue;
                }
                for (PolicyRule rule : aggregate(other, visiting)) {
                    if (!union.contains(rule)) {
                        union.add(rule);
                    }
                }
            }
        }
        visiting.remove(role.name());
        return union;
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
