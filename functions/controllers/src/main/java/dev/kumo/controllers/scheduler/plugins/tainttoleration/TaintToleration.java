package dev.kumo.controllers.scheduler.plugins.tainttoleration;

import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.FilterPlugin;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.PreScorePlugin;
import dev.kumo.controllers.scheduler.framework.ScorePlugin;
import dev.kumo.controllers.scheduler.framework.Status;
import dev.kumo.controllers.scheduler.framework.Taint;
import dev.kumo.controllers.scheduler.framework.Toleration;
import dev.kumo.controllers.scheduler.helper.ScoreNormalizer;

import java.util.List;
import java.util.Optional;

/**
 * Taints and tolerations: a NoSchedule or NoExecute taint the pod does not tolerate keeps it off the node; each
 * PreferNoSchedule taint it does not tolerate lowers the node's score.
 */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
    public static final String NAME = "TaintToleration";
    private static final CycleState.Key<List<Toleration>> PREFER_NO_SCHEDULE =
            new CycleState.Key<>("PreScore" + NAME);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        Optional<Taint> taint = Toleration.findUntolerated(node.taints(), pod.tolerations(), Taint::preventsScheduling);
        return taint.map(t -> Status.unresolvable(
                "node(s) had untolerated taint {" + t.key() + ": " + t.value() + "}")).orElse(Status.SUCCESS);
    }

    /** The tolerations that can tolerate PreferNoSchedule taints: that effect, or any effect. */
    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterSnapshot snapshot) {
        state.write(PREFER_NO_SCHEDULE, pod.tolerations().stream()
                .filter(t -> t.effect().isEmpty() || t.effect().equals(Taint.PREFER_NO_SCHEDULE)).toList());
        return Status.SUCCESS;
    }

    /** The number of PreferNoSchedule taints not tolerated. */
    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        List<Toleration> tolerations = state.read(PREFER_NO_SCHEDULE);
        long intolerable = 0;
        for (Taint taint : node.taints()) {
            if (taint.effect().equals(Taint.PREFER_NO_SCHEDULE) && !Toleration.tolerate(tolerations, taint)) {
                intolerable++;
            }
        }
        return intolerable;
    }

    @Override
    public void normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScoreNormalizer.defaultNormalize(MAX_NODE_SCORE, true, scores);
    }
}
