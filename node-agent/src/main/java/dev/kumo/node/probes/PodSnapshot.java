package dev.kumo.node.probes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.pods.RuntimeContainer;
import dev.kumo.node.pods.RuntimePod;

import java.util.Optional;

/**
 * A pod as the agent last synced it: the API's pod and its containers' states with the started and ready flags the
 * probes gave them (what a probe worker reads, as the kubelet's workers read its status manager).
 */
record PodSnapshot(ObjectNode pod, RuntimePod state) {

    Optional<RuntimeContainer> container(String name) {
        return state.containers().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    String podIp() {
        return state.ips().isEmpty() ? "" : state.ips().get(0);
    }

    boolean terminal() {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    boolean beingDeleted() {
        return pod.path("metadata").hasNonNull("deletionTimestamp");
    }
}
