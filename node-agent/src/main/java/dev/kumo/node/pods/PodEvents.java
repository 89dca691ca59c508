package dev.kumo.node.pods;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where the agent reports what happens to a pod and its containers, as the kubelet's event recorder does: about the
 * pod ({@code FailedMount}) or about one of its containers ({@code Pulling}, {@code Created}, {@code Started},
 * {@code Killing}, {@code BackOff}, {@code Unhealthy}, ...), with the kubelet's reasons and messages. Recording never
 * fails the caller: an event is a report, not part of the work.
 */
public interface PodEvents {
    String NORMAL = "Normal";
    String WARNING = "Warning";

    /** Events that go nowhere: for a runtime made without the API (its pods have no API objects to refer to). */
    PodEvents NONE = new PodEvents() {
        @Override
        public void pod(JsonNode pod, String type, String reason, String message) {
        }

        @Override
        public void container(JsonNode pod, String container, String type, String reason, String message) {
        }
    };

    /** An event about the pod itself. */
    void pod(JsonNode pod, String type, String reason, String message);

    /** An event about one of the pod's containers (regular, init or ephemeral) by name. */
    void container(JsonNode pod, String container, String type, String reason, String message);
}
