package dev.kumo.apiserver.admission.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apiserver.admission.AdmissionDenied;
import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.admission.AdmissionRequest;
import dev.kumo.apiserver.admission.AdmissionRequest.Operation;
import dev.kumo.apiserver.auth.node.BoundPods;
import dev.kumo.apiserver.errors.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Kubernetes' NodeRestriction admission plugin: narrows the writes the node authorizer allows every node to the
 * node's own objects. A node may create and update only its own Node, without changing its taints, its
 * {@code configSource}, or labels outside the kubelet's set; update the status (not the labels) of pods bound to it;
 * delete and evict only pods bound to it; write only its own Lease in {@code kube-node-lease}; and request
 * service-account tokens only when bound to a pod running on it. Users that are not nodes pass untouched.
 *
 * <p>kumo runs no static pods, so a node may create no pods at all (Kubernetes lets it create mirror pods).
 *
 * <p>TokenRequests: the {@code serviceaccounts/token} endpoint must pass the TokenRequest as the object of a CREATE
 * on {@code serviceaccounts} with subresource {@code token}; its {@code spec.boundObjectRef} is checked here.
 */
public final class NodeRestriction implements AdmissionPlugin {
    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    private final BoundPods pods;

    public NodeRestriction(BoundPods pods) {
        this.pods = pods;
    }

    @Override
    public void admit(AdmissionRequest request) {
        String node = request.user() == null ? null : request.user().nodeName();
        if (node == null) {
            return;
        }
        if (node.isEmpty()) {
            throw forbidden(request, "could not determine node from user \"" + request.user().name() + "\"");
        }
        if (request.is("", "pods")) {
            switch (request.subresource()) {
                case "" -> admitPod(node, request);
                case "status" -> admitPodStatus(node, request);
                case "eviction" -> admitPodEviction(node, request);
                default -> throw forbidden(request, "unexpected pod subresource \"" + request.subresource()
                        + "\", only 'status' and 'eviction' are allowed");
            }
        } else if (request.is("", "nodes")) {
            admitNode(node, request);
        } else if (request.is("", "serviceaccounts")) {
            admitServiceAccount(node, request);
        } else if (request.is("coordination.k8s.io", "leases")) {
            admitLease(node, request);
        }
    }

    private void admitPod(String node, AdmissionRequest request) {
        switch (request.operation()) {
            case CREATE -> {
                if (!request.object().path("metadata").path("annotations").has(MIRROR_POD_ANNOTATION)) {
                    throw forbidden(request, "pod does not have \"" + MIRROR_POD_ANNOTATION + "\" annotation, node \""
                            + node + "\" can only create mirror pods");
                }
                throw forbidden(request, "node \"" + node + "\" can not create mirror pods: kumo runs no static pods");
            }
            case DELETE -> {
                if (!BoundPods.isBoundTo(request.oldObject(), node)) {
                    throw forbidden(request, "node \"" + node
                            + "\" can only delete pods with spec.nodeName set to itself");
                }
            }
            default -> throw forbidden(request, "unexpected operation \"" + request.operation() + "\", node \""
                    + node + "\" can only create and delete mirror pods");
        }
    }

    private static void admitPodStatus(String node, AdmissionRequest request) {
        if (request.operation() != Operation.UPDATE) {
            throw forbidden(request, "unexpected operation \"" + request.operation() + "\"");
        }
        if (!BoundPods.isBoundTo(request.oldObject(), node)) {
            throw forbidden(request, "node \"" + node
                    + "\" can only update pod status for pods with spec.nodeName set to itself");
        }
        if (!NodeLabels.modified(labels(request.object()), labels(request.oldObject())).isEmpty()) {
            throw forbidden(request, "node \"" + node + "\" cannot update labels through pod status");
        }
        if (!claimStatuses(request.object()).equals(claimStatuses(request.oldObject()))) {
            throw forbidden(request, "node \"" + node + "\" cannot update resource claim statues");
        }
    }

    private void admitPodEviction(String node, AdmissionRequest request) {
        if (request.operation() != Operation.CREATE) {
            throw forbidden(request, "unexpected operation " + request.operation());
        }
        // The pod named by the request, rather than the one the submitted Eviction names.
        String podName = request.name() == null || request.name().isEmpty()
                ? Meta.name(request.object()) : request.name();
        if (podName.isEmpty()) {
            throw forbidden(request, "could not determine pod from request data");
        }
        ObjectNode pod = pods.pod(request.namespace(), podName)
                .orElseThrow(() -> ApiException.notFound("", "Pod", "pods", podName));
        if (!BoundPods.isBoundTo(pod, node)) {
            throw forbidden(request, "node " + node + " can only evict pods with spec.nodeName set to itself");
        }
    }

    private static void admitNode(String node, AdmissionRequest request) {
        if (!node.equals(request.name())) {
            throw forbidden(request, "node \"" + node + "\" is not allowed to modify node \"" + request.name() + "\"");
        }
        if (!request.subresource().isEmpty() && !request.subresource().equals("status")) {
            return; // kumo's nodes/token: the name is all there is to check
        }
        JsonNode spec = request.object() == null ? null : request.object().path("spec");
        if (request.operation() == Operation.CREATE) {
            // The node authorizer scopes access by what the Node names; a config source would widen it.
            if (present(spec.path("configSource"))) {
                // sic: Kubernetes' wording says "pods"
                throw forbidden(request, "node \"" + node
                        + "\" is not allowed to create pods with a non-nil configSource");
            }
            Set<String> labels = NodeLabels.forbidden(NodeLabels.modified(labels(request.object()), null));
            if (!labels.isEmpty()) {
                throw forbidden(request, "node \"" + node + "\" is not allowed to set the following labels: "
                        + String.join(", ", labels));
            }
        } else if (request.operation() == Operation.UPDATE) {
            JsonNode oldSpec = request.oldObject().path("spec");
            if (present(spec.path("configSource")) && !spec.path("configSource").equals(oldSpec.path("configSource"))) {
                throw forbidden(request, "node \"" + node
                        + "\" is not allowed to update configSource to a new non-nil configSource");
            }
            // Taints keep workloads off a node; removing its own would let it attract them.
            if (!elements(spec.path("taints")).equals(elements(oldSpec.path("taints")))) {
                throw forbidden(request, "node \"" + node + "\" is not allowed to modify taints");
            }
            Set<String> labels = NodeLabels.forbidden(
                    NodeLabels.modified(labels(request.object()), labels(request.oldObject())));
            if (!labels.isEmpty()) {
                throw forbidden(request, "is not allowed to modify labels: " + String.join(", ", labels));
            }
        }
    }

    private void admitServiceAccount(String node, AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || !request.subresource().equals("token")) {
            return;
        }
        // A node's token must be bound to a pod on that node, so that it dies with the pod.
        JsonNode reference = request.object().path("spec").path("boundObjectRef");
        if (!reference.path("apiVersion").asText("").equals("v1") || !reference.path("kind").asText("").equals("Pod")
                || reference.path("name").asText("").isEmpty()) {
            throw forbidden(request, "node requested token not bound to a pod");
        }
        String uid = reference.path("uid").asText("");
        if (uid.isEmpty()) {
            throw forbidden(request, "node requested token with a pod binding without a uid");
        }
        String podName = reference.path("name").asText();
        ObjectNode pod = pods.pod(request.namespace(), podName)
                .orElseThrow(() -> ApiException.notFound("", "Pod", "pods", podName));
        if (!uid.equals(Meta.uid(pod))) {
            throw forbidden(request, "the UID in the bound object reference (" + uid + ") does not match the UID in "
                    + "record. The object might have been deleted and then recreated");
        }
        if (!BoundPods.isBoundTo(pod, node)) {
            throw forbidden(request, "node requested token bound to a pod scheduled on a different node");
        }
    }

    private static void admitLease(String node, AdmissionRequest request) {
        if (!NODE_LEASE_NAMESPACE.equals(request.namespace())) {
            throw forbidden(request, "can only access leases in the \"" + NODE_LEASE_NAMESPACE
                    + "\" system namespace");
        }
        String name = request.operation() == Operation.CREATE ? Meta.name(request.object()) : request.name();
        if (!node.equals(name)) {
            throw forbidden(request, "can only access node lease with the same name as the requesting node");
        }
    }

    private static JsonNode labels(JsonNode object) {
        return object == null ? null : object.path("metadata").path("labels");
    }

    private static boolean present(JsonNode value) {
        return !value.isMissingNode() && !value.isNull();
    }

    /** An array's elements; missing, null and empty are the same (Kubernetes compares them semantically). */
    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        return elements;
    }

    /** The pod's resource claim statuses as Kubernetes compares them: name and claim name, in order. */
    private static List<List<String>> claimStatuses(JsonNode pod) {
        List<List<String>> statuses = new ArrayList<>();
        pod.path("status").path("resourceClaimStatuses").forEach(status -> statuses.add(List.of(
                status.path("name").asText(""), status.path("resourceClaimName").isTextual()
                        ? "=" + status.path("resourceClaimName").asText() : "<nil>")));
        return statuses;
    }

    private static ApiException forbidden(AdmissionRequest request, String reason) {
        return AdmissionDenied.of(request, reason);
    }
}
