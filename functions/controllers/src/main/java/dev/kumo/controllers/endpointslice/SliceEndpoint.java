package dev.kumo.controllers.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.endpoints.EndpointSubsets.TargetRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One endpoint of an EndpointSlice. Its {@link #key()} is kube's endpoint hash (addresses, hostname, the pod's
 * namespace and name): an endpoint with the same key is the same endpoint, kept in its slice and updated in place
 * when the rest differs ({@code EndpointsEqualBeyondHash}: node, zone, conditions, target, ignoring the pod's
 * resourceVersion).
 */
record SliceEndpoint(List<String> addresses, Boolean ready, Boolean serving, Boolean terminating, String hostname,
                     String nodeName, String zone, TargetRef targetRef) {

    static SliceEndpoint fromJson(JsonNode endpoint) {
        List<String> addresses = new ArrayList<>();
        endpoint.path("addresses").forEach(address -> addresses.add(address.asText()));
        JsonNode conditions = endpoint.path("conditions");
        return new SliceEndpoint(List.copyOf(addresses), bool(conditions.path("ready")),
                bool(conditions.path("serving")), bool(conditions.path("terminating")),
                endpoint.path("hostname").asText(""), endpoint.path("nodeName").asText(""),
                endpoint.path("zone").asText(""), TargetRef.fromJson(endpoint.path("targetRef")));
    }

    private static Boolean bool(JsonNode value) {
        return value.isBoolean() ? value.asBoolean() : null;
    }

    String key() {
        List<String> sorted = addresses.stream().sorted().toList();
        return sorted + "|" + hostname + "|" + (targetRef == null ? "" : targetRef.namespace() + "/"
                + targetRef.name());
    }

    boolean equalBeyondKey(SliceEndpoint other) {
        return Objects.equals(nodeName, other.nodeName) && Objects.equals(zone, other.zone)
                && Objects.equals(ready, other.ready) && Objects.equals(serving, other.serving)
                && Objects.equals(terminating, other.terminating) && Objects.equals(targetRef, other.targetRef);
    }

    boolean targets(String podName) {
        return targetRef != null && targetRef.kind().equals("Pod") && targetRef.name().equals(podName);
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ArrayNode array = node.putArray("addresses");
        addresses.forEach(array::add);
        ObjectNode conditions = node.putObject("conditions");
        if (ready != null) {
            conditions.put("ready", ready);
        }
        if (serving != null) {
            conditions.put("serving", serving);
        }
        if (terminating != null) {
            conditions.put("terminating", terminating);
        }
        if (!hostname.isEmpty()) {
            node.put("hostname", hostname);
        }
        if (targetRef != null) {
            targetRef.writeTo(node);
        }
        if (!nodeName.isEmpty()) {
            node.put("nodeName", nodeName);
        }
        if (!zone.isEmpty()) {
            node.put("zone", zone);
        }
        return node;
    }
}
