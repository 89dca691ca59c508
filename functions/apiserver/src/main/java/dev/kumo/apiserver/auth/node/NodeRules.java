package dev.kumo.apiserver.auth.node;

import dev.kumo.apiserver.auth.authz.RequestInfo;

import java.util.List;
import java.util.Set;

/**
 * What every node may do on resources the node authorizer does not subdivide by relationship: the part of
 * Kubernetes' {@code bootstrappolicy.NodeRules()} (the {@code system:node} ClusterRole) that its node authorizer
 * evaluates statically, plus the {@code system:node-proxier} rules, because kumo's node agent is also its
 * kube-proxy and runs with the node's credential. Nodes, pods, secrets, config maps, service accounts and leases
 * are decided by {@link NodeAuthorizer} itself and are not listed here.
 */
final class NodeRules {
    private static final Set<String> READ = Set.of("get", "list", "watch");

    /** One RBAC-style rule: any of the verbs on any of the resources ({@code resource} or {@code resource/sub}). */
    record Rule(Set<String> verbs, String group, Set<String> resources) {
        boolean allows(RequestInfo request) {
            return request.resourceRequest() && verbs.contains(request.verb()) && group.equals(request.apiGroup())
                    && resources.contains(request.resourceWithSubresource());
        }
    }

    static final List<Rule> RULES = List.of(
            // Checking API access; these creates change nothing.
            new Rule(Set.of("create"), "authentication.k8s.io", Set.of("tokenreviews")),
            new Rule(Set.of("create"), "authorization.k8s.io",
                    Set.of("subjectaccessreviews", "localsubjectaccessreviews")),
            // Service environment variables of pods (kubelet) and the service proxy (kube-proxy).
            new Rule(READ, "", Set.of("services")),
            new Rule(Set.of("get"), "", Set.of("endpoints")),
            new Rule(Set.of("create", "update", "patch"), "", Set.of("events")),
            new Rule(Set.of("create", "get", "list", "watch"), "certificates.k8s.io",
                    Set.of("certificatesigningrequests")),
            new Rule(READ, "storage.k8s.io", Set.of("csidrivers")),
            new Rule(READ, "node.k8s.io", Set.of("runtimeclasses")),
            // system:node-proxier: what kube-proxy watches, and its events through events.k8s.io.
            new Rule(Set.of("list", "watch"), "", Set.of("endpoints")),
            new Rule(Set.of("list", "watch"), "discovery.k8s.io", Set.of("endpointslices")),
            new Rule(Set.of("create", "update", "patch"), "events.k8s.io", Set.of("events")));

    private NodeRules() {
    }

    static boolean allow(RequestInfo request) {
        return RULES.stream().anyMatch(rule -> rule.allows(request));
    }
}
