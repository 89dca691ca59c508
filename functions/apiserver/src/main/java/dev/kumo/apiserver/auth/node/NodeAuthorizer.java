package dev.kumo.apiserver.auth.node;

import dev.kumo.apimachinery.selection.FieldSelector;
import dev.kumo.apimachinery.selection.SelectorException;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.Authorizer;
import dev.kumo.apiserver.auth.authz.Decision;
import dev.kumo.apiserver.auth.authz.RequestInfo;

import java.util.Set;
import java.util.function.Function;

/**
 * Kubernetes' Node authorizer (as of 1.32, with {@code AuthorizeNodeWithSelectors}): a node ({@code system:node:<name>}
 * in {@code system:nodes}) may read the pods bound to it and the secrets, config maps and service-account tokens
 * those pods use, its own Node and Lease, and what {@link NodeRules} grants every node. Writes it allows broadly
 * (creating and updating Node objects, pod status, deleting pods, leases on create) are narrowed to the node's own
 * objects by the {@code NodeRestriction} admission plugin, as in Kubernetes.
 *
 * <p>Anything else gets no opinion, never a denial, so that RBAC after it may still grant a node more; requests of
 * users that are not nodes get no opinion at once. The reasons are Kubernetes' own words. kumo addition: a node may
 * create {@code nodes/<itself>/token}, the renewal of its own credential.
 */
public final class NodeAuthorizer implements Authorizer {
    private static final Set<String> READ = Set.of("get", "list", "watch");
    private static final Set<String> LEASE_VERBS = Set.of("get", "create", "update", "patch", "delete");
    private static final Set<String> NODE_WRITES = Set.of("create", "update", "patch");
    private static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    private final BoundPods pods;

    public NodeAuthorizer(BoundPods pods) {
        this.pods = pods;
    }

    @Override
    public Decision authorize(UserInfo user, RequestInfo request) {
        String node = user.nodeName();
        if (node == null) {
            return Decision.noOpinion("");
        }
        if (node.isEmpty()) {
            return Decision.noOpinion("unknown node for user \"" + user.name() + "\"");
        }
        if (request.resourceRequest()) {
            switch (request.apiGroup() + "/" + request.resource()) {
                case "/secrets" -> {
                    return readReferenced(node, request, PodReferences::secrets);
                }
                case "/configmaps" -> {
                    return readReferenced(node, request, PodReferences::configMaps);
                }
                case "/serviceaccounts" -> {
                    return createToken(node, request);
                }
                case "coordination.k8s.io/leases" -> {
                    return lease(node, request);
                }
                case "/nodes" -> {
                    return nodeObject(node, request);
                }
                case "/pods" -> {
                    return pod(node, request);
                }
                default -> {
                }
            }
        }
        return NodeRules.allow(request) ? Decision.allow("") : Decision.noOpinion("");
    }

    /** get, list or watch of one secret or config map that a pod bound to the node refers to. */
    private Decision readReferenced(String node, RequestInfo request, Function<PodReferences, Set<String>> names) {
        if (!READ.contains(request.verb())) {
            return Decision.noOpinion("can only read resources of this type");
        }
        if (!request.subresource().isEmpty()) {
            return Decision.noOpinion("cannot read subresource");
        }
        if (request.namespace().isEmpty()) {
            return Decision.noOpinion("can only read namespaced object of this type");
        }
        if (request.name().isEmpty()) {
            return Decision.noOpinion("No Object name found");
        }
        return related(node, pods.anyReferencing(node, request.namespace(),
                references -> names.apply(references).contains(request.name())));
    }

    /** A token for a service account that a pod bound to the node runs as (admission checks the pod binding). */
    private Decision createToken(String node, RequestInfo request) {
        if (!request.verb().equals("create") || request.name().isEmpty()) {
            return Decision.noOpinion("can only create tokens for individual service accounts");
        }
        if (!request.subresource().equals("token")) {
            return Decision.noOpinion("can only create token subresource of serviceaccount");
        }
        return related(node, pods.anyReferencing(node, request.namespace(),
                references -> references.serviceAccount().equals(request.name())));
    }

    private static Decision lease(String node, RequestInfo request) {
        if (!LEASE_VERBS.contains(request.verb())) {
            return Decision.noOpinion("can only get, create, update, patch, or delete a node lease");
        }
        if (!request.namespace().equals(NODE_LEASE_NAMESPACE)) {
            return Decision.noOpinion("can only access leases in the \"" + NODE_LEASE_NAMESPACE
                    + "\" system namespace");
        }
        // A create carries its name only in the body: NodeRestriction checks it there.
        if (!request.verb().equals("create") && !request.name().equals(node)) {
            return Decision.noOpinion("can only access node lease with the same name as the requesting node");
        }
        return Decision.allow("");
    }

    private static Decision nodeObject(String node, RequestInfo request) {
        String verb = request.verb();
        switch (request.subresource()) {
            case "" -> {
                if (NODE_WRITES.contains(verb)) {
                    return Decision.allow(""); // NodeRestriction limits these to the node's own object
                }
                if (READ.contains(verb)) {
                    // By name rather than by relationship, so that a node may look for its Node before creating it.
                    if (request.name().equals(node)) {
                        return Decision.allow("");
                    }
                    return Decision.noOpinion(request.name().isEmpty()
                            ? "node '" + node + "' cannot read all nodes, only its own Node object"
                            : "node '" + node + "' cannot read '" + request.name() + "', only its own Node object");
                }
            }
            case "status" -> {
                if (verb.equals("update") || verb.equals("patch")) {
                    return Decision.allow("");
                }
            }
            case "token" -> {
                if (verb.equals("create") && request.name().equals(node)) {
                    return Decision.allow("");
                }
                return Decision.noOpinion("node '" + node + "' can only create a token for its own Node object");
            }
            default -> {
            }
        }
        return Decision.noOpinion("");
    }

    private Decision pod(String node, RequestInfo request) {
        String verb = request.verb();
        switch (request.subresource()) {
            case "" -> {
                switch (verb) {
                    case "get" -> {
                        return boundPod(node, request);
                    }
                    case "list", "watch" -> {
                        if (selectsNode(request.fieldSelector(), node)) {
                            return Decision.allow("");
                        }
                        if (!request.name().isEmpty()) {
                            return boundPod(node, request); // a list narrowed to one pod by metadata.name
                        }
                        return Decision.noOpinion("can only list/watch pods with spec.nodeName field selector");
                    }
                    case "create", "delete" -> {
                        return Decision.allow(""); // NodeRestriction: no pod creates in kumo, deletes of own pods
                    }
                    default -> {
                    }
                }
            }
            case "status" -> {
                if (verb.equals("update") || verb.equals("patch")) {
                    return Decision.allow(""); // NodeRestriction: status of the node's own pods only
                }
            }
            case "eviction" -> {
                if (verb.equals("create")) {
                    return Decision.allow(""); // NodeRestriction: evictions of the node's own pods only
                }
            }
            default -> {
            }
        }
        return Decision.noOpinion("");
    }

    private Decision boundPod(String node, RequestInfo request) {
        if (request.name().isEmpty()) {
            return Decision.noOpinion("No Object name found");
        }
        return related(node, pods.pod(request.namespace(), request.name())
                .filter(pod -> BoundPods.isBoundTo(pod, node)).isPresent());
    }

    /** Whether the selector requires {@code spec.nodeName=<node>}; one that does not parse requires nothing. */
    static boolean selectsNode(String fieldSelector, String node) {
        try {
            return FieldSelector.parse(fieldSelector).terms().stream().anyMatch(term ->
                    term.equals() && term.field().equals("spec.nodeName") && term.value().equals(node));
        } catch (SelectorException e) {
            return false;
        }
    }

    private static Decision related(String node, boolean related) {
        return related ? Decision.allow("")
                : Decision.noOpinion("no relationship found between node '" + node + "' and this object");
    }
}
