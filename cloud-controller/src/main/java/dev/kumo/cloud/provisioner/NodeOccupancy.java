package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.loop.PendingPods;

import java.util.List;

/**
 * Which pods keep a node from being empty: cluster-autoscaler's empty-node check. Pods that run on every node
 * (owned by a DaemonSet) and mirror pods (the kubelet's static pods) do not count; neither do finished ones.
 */
final class NodeOccupancy {
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    private NodeOccupancy() {
    }

    /** The pods bound to {@code node} that count. */
    static List<ObjectNode> workloadPods(List<ObjectNode> pods, String node) {
        return pods.stream().filter(pod -> node.equals(pod.path("spec").path("nodeName").asText("")))
                .filter(pod -> !PendingPods.isFinished(pod)).filter(pod -> !isMirror(pod))
                .filter(pod -> !isDaemonSetPod(pod)).toList();
    }

    static boolean isMirror(JsonNode pod) {
        return pod.path("metadata").path("annotations").has(MIRROR_ANNOTATION);
    }

    static boolean isDaemonSetPod(JsonNode pod) {
        for (JsonNode owner : pod.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false) && owner.path("kind").asText("").equals("DaemonSet")) {
                return true;
            }
        }
        return false;
    }
}
