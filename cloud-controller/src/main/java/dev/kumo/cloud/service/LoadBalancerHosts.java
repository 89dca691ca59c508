package dev.kumo.cloud.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.cloud.LoadBalancerRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The nodes a load balancer sends traffic to, by the service controller's {@code getNodeConditionPredicate}: not
 * labelled {@code node.kubernetes.io/exclude-from-external-load-balancers}, not tainted
 * {@code ToBeDeletedByClusterAutoscaler}, with conditions, and Ready=True. (Unschedulable nodes stay targets, as in
 * Kubernetes since 1.19: cordoning a node does not stop its NodePorts.) Each target is the node's provider id and
 * the address its NodePorts answer on: its InternalIP, else its ExternalIP.
 */
final class LoadBalancerHosts {
    static final String EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";
    /** cluster-autoscaler's taint on a node it is about to delete. */
    static final String TO_BE_DELETED_TAINT = "ToBeDeletedByClusterAutoscaler";

    private LoadBalancerHosts() {
    }

    static boolean eligible(JsonNode node) {
        if (node.path("metadata").path("labels").has(EXCLUDE_LABEL)) {
            return false;
        }
        for (JsonNode taint : node.path("spec").path("taints")) {
            if (taint.path("key").asText().equals(TO_BE_DELETED_TAINT)) {
                return false;
            }
        }
        JsonNode conditions = node.path("status").path("conditions");
        if (conditions.isEmpty()) {
            return false; // no information: not accepted
        }
        for (JsonNode condition : conditions) {
            if (condition.path("type").asText().equals("Ready") && !condition.path("status").asText().equals("True")) {
                return false;
            }
        }
        return address(node).isPresent();
    }

    /** The eligible nodes as targets, by node name (a stable order, so equal sets compare equal). */
    static List<LoadBalancerRequest.Target> targets(List<ObjectNode> nodes) {
        List<ObjectNode> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(Meta::name));
        List<LoadBalancerRequest.Target> targets = new ArrayList<>();
        for (ObjectNode node : sorted) {
            if (eligible(node)) {
                targets.add(new LoadBalancerRequest.Target(node.path("spec").path("providerID").asText(""),
                        address(node).orElseThrow()));
            }
        }
        return targets;
    }

    private static Optional<String> address(JsonNode node) {
        for (String type : List.of("InternalIP", "ExternalIP")) {
            for (JsonNode address : node.path("status").path("addresses")) {
                if (address.path("type").asText().equals(type) && !address.path("address").asText().isEmpty()) {
                    return Optional.of(address.path("address").asText());
                }
            }
        }
        return Optional.empty();
    }
}
