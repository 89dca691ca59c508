package dev.kumo.controllers.scheduler.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.FilterPlugin;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.Plugin;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.PreFilterPlugin;
import dev.kumo.controllers.scheduler.framework.PreFilterResult;
import dev.kumo.controllers.scheduler.framework.PreScorePlugin;
import dev.kumo.controllers.scheduler.framework.ScorePlugin;
import dev.kumo.controllers.scheduler.framework.Status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs one plugin's extension points the way the scheduling cycle does, for table tests of a single plugin. */
public final class Plugins {
    private Plugins() {
    }

    /** PreFilter (a skip means Filter does not run: success), then Filter on the named node. */
    public static Status filter(Plugin plugin, ObjectNode pod, ClusterSnapshot snapshot, String nodeName) {
        CycleState state = new CycleState();
        PodInfo info = PodInfo.of(pod);
        if (plugin instanceof PreFilterPlugin preFilter) {
            PreFilterResult result = preFilter.preFilter(state, info, snapshot);
            if (result.status().isSkip()) {
                return Status.SUCCESS;
            }
            if (!result.status().isSuccess()) {
                return result.status();
            }
        }
        return ((FilterPlugin) plugin).filter(state, info, snapshot.get(nodeName));
    }

    public static PreFilterResult preFilter(Plugin plugin, ObjectNode pod, ClusterSnapshot snapshot) {
        return ((PreFilterPlugin) plugin).preFilter(new CycleState(), PodInfo.of(pod), snapshot);
    }

    /**
     * PreScore over all the snapshot's nodes, Score, NormalizeScore: node name to final score. A skipped plugin
     * scores every node 0 (it takes no part in the sum).
     */
    public static Map<String, Long> scores(Plugin plugin, ObjectNode pod, ClusterSnapshot snapshot) {
        CycleState state = new CycleState();
        PodInfo info = PodInfo.of(pod);
        List<NodeInfo> nodes = snapshot.nodes();
        Map<String, Long> result = new LinkedHashMap<>();
        if (plugin instanceof PreScorePlugin preScore) {
            Status status = preScore.preScore(state, info, nodes, snapshot);
            if (status.isSkip()) {
                nodes.forEach(n -> result.put(n.name(), 0L));
                return result;
            }
            if (!status.isSuccess()) {
                throw new AssertionError("PreScore failed: " + status);
            }
        }
        ScorePlugin score = (ScorePlugin) plugin;
        long[] scores = new long[nodes.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = score.score(state, info, nodes.get(i));
        }
        score.normalizeScore(state, info, nodes, scores);
        for (int i = 0; i < scores.length; i++) {
            result.put(nodes.get(i).name(), scores[i]);
        }
        return result;
    }

    public static ClusterSnapshot snapshot(List<ObjectNode> nodes, List<ObjectNode> pods) {
        return ClusterSnapshot.builder().nodes(nodes).pods(pods).build();
    }
}
