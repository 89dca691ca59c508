package dev.kumo.controllers.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.random.RandomGenerator;

/**
 * kube-scheduler's scheduling core without its queue, cache informers or API calls: a {@link Profile} of plugins
 * run over a {@link ClusterSnapshot}, one pod at a time. Not thread-safe: one instance serves one sequence of
 * cycles. The caller assumes a chosen node into the snapshot ({@link ClusterSnapshot#assume}) and binds; the API's
 * binding, not this class, keeps parallel schedulers from overcommitting a node.
 */
public final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final Profile profile;
    private final RandomGenerator random;
    private int nextStartNodeIndex;

    /**
     * @param random breaks ties between equally scored nodes at random, as kube-scheduler does; null breaks them
     *               deterministically (the first in search order), for reproducible tests
     */
    public Scheduler(Profile profile, RandomGenerator random) {
        this.profile = profile;
        this.random = random;
    }

    /** Chooses a node for the pod, or says why none fits; changes nothing but where the next search starts. */
    public ScheduleOutcome schedule(ObjectNode pod, ClusterSnapshot snapshot) {
        return schedule(PodInfo.of(pod), snapshot);
    }

    public ScheduleOutcome schedule(PodInfo pod, ClusterSnapshot snapshot) {
        SchedulingCycle cycle = new SchedulingCycle(profile, snapshot, pod, random, nextStartNodeIndex);
        ScheduleOutcome outcome = cycle.run();
        if (snapshot.size() > 0) {
            // Spread consecutive searches over the nodes, as kube-scheduler's nextStartNodeIndex does.
            nextStartNodeIndex = (nextStartNodeIndex + cycle.processedNodes()) % snapshot.size();
        }
        log(outcome);
        return outcome;
    }

    private static void log(ScheduleOutcome outcome) {
        switch (outcome) {
            case ScheduleOutcome.Scheduled s -> LOG.atDebug().setMessage("node chosen")
                    .addKeyValue("pod", s.pod().key()).addKeyValue("node", s.nodeName())
                    .addKeyValue("evaluatedNodes", s.evaluatedNodes()).addKeyValue("feasibleNodes", s.feasibleNodes())
                    .log();
            case ScheduleOutcome.Unschedulable u -> LOG.atDebug().setMessage("unschedulable")
                    .addKeyValue("pod", u.pod().key()).addKeyValue("message", u.message()).log();
            case ScheduleOutcome.Failed f -> LOG.atWarn().setMessage("scheduling failed")
                    .addKeyValue("pod", f.pod().key()).addKeyValue("error", f.message()).log();
        }
    }
}
