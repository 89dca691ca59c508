package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.controllers.scheduler.framework.AffinityTerm;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;

import java.util.List;

/**
 * Whether a placement is decided by where other pods are, beyond the resources the API's node reservations guard:
 * the pod's required pod (anti-)affinity, its DoNotSchedule topology spread constraints, or the required
 * anti-affinity of a placed pod, or of a pod that waited at the snapshot's list, that selects it. Such a pod is placed only by the holder of the
 * {@link PositionsLease}, on a snapshot listed after taking it, so that no other invocation places such pods at the
 * same moment (docs/scheduler.md).
 */
final class PodPositions {
    private PodPositions() {
    }

    /** @param waiting pods that waited at the snapshot's list and have required anti-affinity terms */
    static boolean dependOnOthers(PodInfo pod, ClusterSnapshot snapshot, List<PodInfo> waiting) {
        if (!pod.requiredAffinityTerms().isEmpty() || !pod.requiredAntiAffinityTerms().isEmpty()) {
            return true;
        }
        for (JsonNode constraint : pod.pod().path("spec").path("topologySpreadConstraints")) {
            if ("DoNotSchedule".equals(constraint.path("whenUnsatisfiable").asText("DoNotSchedule"))) {
                return true;
            }
        }
        for (NodeInfo node : snapshot.nodesWithPodsWithRequiredAntiAffinity()) {
            if (selectedByAny(node.podsWithRequiredAntiAffinity(), pod, snapshot)) {
                return true;
            }
        }
        return selectedByAny(waiting, pod, snapshot);
    }

    private static boolean selectedByAny(List<PodInfo> others, PodInfo pod, ClusterSnapshot snapshot) {
        for (PodInfo other : others) {
            for (AffinityTerm term : other.requiredAntiAffinityTerms()) {
                if (term.matches(pod, snapshot.namespaceLabels(pod.namespace()))) {
                    return true;
                }
            }
        }
        return false;
    }
}
