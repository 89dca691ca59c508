package dev.kumo.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.status.Conditions;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * A node's last sign of life and how long it may stay silent, after {@code tryUpdateNodeHealth}: the later of its
 * Lease's {@code renewTime} and its Ready condition's {@code lastHeartbeatTime}; a node that never posted a Ready
 * condition counts from its creation and gets the startup grace period. kube-controller-manager measures silence
 * by its own clock from when it saw a heartbeat change; a loop that keeps no memory reads the heartbeats' own
 * times instead, so the nodes' clocks must be roughly right (NTP, as on EC2).
 */
record NodeHealth(Instant lastHeartbeat, Duration gracePeriod) {
    static final List<String> CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    static NodeHealth of(JsonNode node, Optional<? extends JsonNode> lease, Duration gracePeriod,
                         Duration startupGracePeriod) {
        Optional<JsonNode> ready = Conditions.find(node, "Ready");
        Instant heartbeat = ready.flatMap(c -> Timestamps.parse(c.path("lastHeartbeatTime")))
                .or(() -> Timestamps.parse(node.path("metadata").path("creationTimestamp")))
                .orElse(Instant.EPOCH);
        Optional<Instant> renewed = lease.flatMap(l -> Timestamps.parse(l.path("spec").path("renewTime")));
        if (renewed.isPresent() && renewed.get().isAfter(heartbeat)) {
            heartbeat = renewed.get();
        }
        return new NodeHealth(heartbeat, ready.isPresent() ? gracePeriod : startupGracePeriod);
    }

    Instant deadline() {
        return lastHeartbeat.plus(gracePeriod);
    }

    boolean silentAt(Instant now) {
        return now.isAfter(deadline());
    }

    /**
     * Sets the node's conditions to Unknown as kube-controller-manager does for a silent node (NetworkUnavailable is
     * left alone: the network's owner sets it). True when the Ready condition changed, which is when kube writes.
     */
    static boolean markUnknown(ObjectNode node, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        JsonNode status = node.path("status");
        ObjectNode statusNode = status.isObject() ? (ObjectNode) status : node.putObject("status");
        ArrayNode conditions = statusNode.path("conditions").isArray() ? (ArrayNode) statusNode.get("conditions")
                : statusNode.putArray("conditions");
        String readyBefore = Conditions.find(node, "Ready").map(c -> c.toString()).orElse("");
        for (String type : CONDITIONS) {
            Optional<JsonNode> present = Conditions.find(node, type);
            if (present.isEmpty()) {
                conditions.addObject().put("type", type).put("status", "Unknown")
                        .put("lastHeartbeatTime", node.path("metadata").path("creationTimestamp").asText())
                        .put("lastTransitionTime", time).put("reason", "NodeStatusNeverUpdated")
                        .put("message", "Kubelet never posted node status.");
            } else if (!present.get().path("status").asText().equals("Unknown")) {
                ((ObjectNode) present.get()).put("status", "Unknown").put("reason", "NodeStatusUnknown")
                        .put("message", "Kubelet stopped posting node status.").put("lastTransitionTime", time);
            }
        }
        return !Conditions.find(node, "Ready").map(c -> c.toString()).orElse("").equals(readyBefore);
    }
}
