package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.scheduler.SchedulingGates;

import java.util.Comparator;

/**
 * Which pods this scheduler takes, in which order, and what their PodScheduled condition says (the provisioner asks
 * the same questions of the pods it sizes pools for).
 */
public final class PendingPods {
    /** The profile's name: pods asking for it (or for no scheduler) are ours. */
    static final String SCHEDULER_NAME = "default-scheduler";
    /** kube-scheduler's informer of unassigned pods lists exactly these. */
    public static final String FIELD_SELECTOR = "spec.nodeName=,status.phase!=Succeeded,status.phase!=Failed";
    static final String POD_SCHEDULED = "PodScheduled";
    static final String UNSCHEDULABLE = "Unschedulable";

    /**
     * kube-scheduler's PrioritySort: higher priority first, then the one waiting longer (creation time stands in
     * for the time it entered the queue), then by name so that a batch has one order.
     */
    public static final Comparator<JsonNode> QUEUE_ORDER = Comparator
            .<JsonNode>comparingInt(pod -> pod.path("spec").path("priority").asInt(0)).reversed()
            .thenComparing(pod -> pod.path("metadata").path("creationTimestamp").asText(""))
            .thenComparing(pod -> Meta.namespace(pod) + "/" + Meta.name(pod));

    private PendingPods() {
    }

    /**
     * Whether the pod waits for this scheduler: not bound, not finished, not being deleted ({@code
     * skipPodSchedule}), asking for the default scheduler, and not held back by scheduling gates.
     */
    public static boolean isOurs(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        String scheduler = spec.path("schedulerName").asText("");
        return spec.path("nodeName").asText("").isEmpty()
                && !isFinished(pod)
                && !Meta.isBeingDeleted(pod)
                && (scheduler.isEmpty() || scheduler.equals(SCHEDULER_NAME))
                && !SchedulingGates.isGated(pod);
    }

    public static boolean isBound(JsonNode pod) {
        return !pod.path("spec").path("nodeName").asText("").isEmpty();
    }

    public static boolean isFinished(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /** The pod's PodScheduled condition, or a missing node. */
    static JsonNode podScheduled(JsonNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if (POD_SCHEDULED.equals(condition.path("type").asText())) {
                return condition;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** Whether the last attempt found no node for the pod (the pods a cluster change retries). */
    public static boolean isMarkedUnschedulable(JsonNode pod) {
        JsonNode condition = podScheduled(pod);
        return "False".equals(condition.path("status").asText()) && UNSCHEDULABLE.equals(
                condition.path("reason").asText());
    }
}
