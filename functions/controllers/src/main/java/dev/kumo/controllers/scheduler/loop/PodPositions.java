package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.controllers.scheduler.framework.AffinityTerm;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;

/**
 * Whether a placement is decided by where other pods are, beyond the resources the API's node reservations guard:
 * the pod's required pod (anti-)affinity, its DoNotSchedule topology spread constraints, or the required
 * anti-affinity of a placed pod that selects it. Such a pod is placed only by the holder of the
 * {@link PositionsLease}, on a snapshot listed after taking it, so that no other invocation places such pods at the
 * same moment (docs/scheduler.md).
 */
final class PodPositions {
    private PodPositions() {
    }

    static boolean dependOnOthers(PodInfo pod, ClusterSnapshot snapshot) {
        if (!pod.requiredAffinityTerms().isEmpty() || !pod.requiredAntiAffinityTerms().isEmpty()) {
            return true;
        }
        for (JsonNode constraint : pod.pod().path("spec").path("topologySpreadConstraints")) {
            if ("DoNotSchedule".equals(constraint.path("whenUnsatisfiable").asText("DoNotSchedule"))) {
                return true;
            }
        }
        for (NodeInfo node : snapshot.nodesWithPodsWithRequiredAntiAffinity()) {
            for (PodInfo placed : node.podsWithRequiredAntiAffinity()) {
                for (AffinityTerm term : placed.requiredAntiAffinityTerms()) {
                    if (term.matches(pod, snapshot.namespaceLabels(pod.namespace()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
