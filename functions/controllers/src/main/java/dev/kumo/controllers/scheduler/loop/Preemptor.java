package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * DefaultPreemption's {@code prepareCandidate}, the API half of preemption once the core chose a node and its
 * victims: each victim gets the {@code DisruptionTarget} condition, is deleted (gracefully, as kube-scheduler does)
 * and gets a {@code Preempted} event; lower-priority pods nominated to the same node lose their nomination. The
 * preemptor's own {@code status.nominatedNodeName} is written with its failure ({@link FailureRecorder}).
 */
final class Preemptor {
    private static final Logger LOG = LoggerFactory.getLogger(Preemptor.class);
    static final String DISRUPTION_TARGET = "DisruptionTarget";
    static final String PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler";

    private final KubeClient client;
    private final PodStatusUpdater status;
    private final EventRecorder events;

    Preemptor(KubeClient client, PodStatusUpdater status, EventRecorder events) {
        this.client = client;
        this.status = status;
        this.events = events;
    }

    void preempt(PodInfo preemptor, String node, List<PodInfo> victims) {
        String schedulerName = preemptor.pod().path("spec").path("schedulerName").asText(PendingPods.SCHEDULER_NAME);
        String uid = Meta.uid(preemptor.pod());
        for (PodInfo victim : victims) {
            status.update(victim.pod(), copy -> status.setCondition(copy, DISRUPTION_TARGET, "True",
                    PREEMPTION_BY_SCHEDULER, schedulerName + ": preempting to accommodate a higher priority pod"));
            if (!delete(victim)) {
                continue; // already gone: kube-scheduler records no event then
            }
            events.normal(victim.pod(), "Preempted", "Preempted by pod " + uid + " on node " + node);
            LOG.atInfo().setMessage("preempted").addKeyValue("pod", preemptor.key())
                    .addKeyValue("victim", victim.key()).addKeyValue("node", node).log();
        }
        clearLowerPriorityNominations(preemptor, node);
    }

    /** Deletes the victim gracefully; false when it is gone (or its name is another pod's now). */
    private boolean delete(PodInfo victim) {
        try {
            return client.delete(ResourceType.PODS, victim.namespace(), victim.name(), null, Meta.uid(victim.pod()));
        } catch (ApiError e) {
            if (e.isConflict()) {
                return false; // the uid precondition failed
            }
            throw e;
        }
    }

    /** {@code getLowerPriorityNominatedPods} + {@code ClearNominatedNodeName}: they may no longer fit there. */
    private void clearLowerPriorityNominations(PodInfo preemptor, String node) {
        List<ObjectNode> nominated = client.list(ResourceType.PODS, "", "", "status.nominatedNodeName=" + node);
        for (ObjectNode pod : nominated) {
            PodInfo info = PodInfo.of(pod);
            if (info.priority() < preemptor.priority() && !info.identity().equals(preemptor.identity())) {
                status.update(pod, copy -> ((ObjectNode) copy.path("status")).remove("nominatedNodeName") != null);
            }
        }
    }
}
