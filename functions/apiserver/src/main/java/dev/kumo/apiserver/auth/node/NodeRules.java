package dev.kumo.apiserver.auth.node;

import dev.kumo.apiserver.auth.authz.RequestInfo;
import dev.kumo.apiserver.auth.rbac.PolicyRule;
import dev.kumo.apiserver.auth.rbac.RuleMatching;

import java.util.List;

/**
 * What every node may do on resources the node authorizer does not subdivide by relationship: the part of
 * Kubernetes' {@code bootstrappolicy.NodeRules()} (the {@code system:node} ClusterRole) that its node authorizer
 * evaluates statically, plus the {@code system:node-proxier} rules, because kumo's node agent is also its
 * kube-proxy and runs with the node's credential. Nodes, pods, secrets, config maps, service accounts and leases
 * are decided by {@link NodeAuthorizer} itself and are not listed here.
 */
final class NodeRules {
    private static final List<String> READ = List.of("get", "list", "watch");

    private static final List<PolicyRule> RULES = List.of(
            // Checking API access; these creates change nothing.
            rule(List.of("create"), "authentication.k8s.io", "tokenreviews"),
            rule(List.of("create"), "authorization.k8s.io", "subjectaccessreviews", "localsubjectaccessreviews"),
            // Service environment variables of pods (kubelet) and the service proxy (kube-proxy).
            rule(READ, "", "services"),
            rule(List.of("get"), "", "endpoints"),
            rule(List.of("create", "update", "patch"), "", "events"),
            rule(List.of("create", "get", "list", "watch"), "certificates.k8s.io", "certificatesigningrequests"),
            rule(READ, "storage.k8s.io", "csidrivers"),
            rule(READ, "node.k8s.io", "runtimeclasses"),
            // system:node-proxier: what kube-proxy watches, and its events through events.k8s.io.
            rule(List.of("list", "watch"), "", "endpoints"),
            rule(List.of("list", "watch"), "discovery.k8s.io", "endpointslices"),
            rule(List.of("create", "update", "patch"), "events.k8s.io", "events"));

    private NodeRules() {
    }

    /** Whether one of the rules allows the request, by RBAC's matching ({@code rbac.RulesAllow}, as Kubernetes). */
    static boolean allow(RequestInfo request) {
        return RULES.stream().anyMatch(rule -> RuleMatching.allows(rule, request));
    }

    /** Any of the verbs on any of the resources ({@code resource} or {@code resource/subresource}) of one group. */
    private static PolicyRule rule(List<String> verbs, String group, String... resources) {
        return PolicyRule.resources(verbs, List.of(group), List.of(resources));
    }
}
