package dev.kumo.controllers.scheduler;

import dev.kumo.controllers.scheduler.framework.Diagnosis;
import dev.kumo.controllers.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * No node fits the pod (kube-scheduler's {@code framework.FitError}). {@link #message()} is the text of the
 * FailedScheduling event and of the pod's PodScheduled condition, worded and sorted as kube-scheduler 1.32 does:
 * {@code 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.
 * preemption: ...}.
 */
public record FitError(int numAllNodes, Diagnosis diagnosis) {
    public static final String NO_NODE_AVAILABLE = "0/%d nodes are available";

    public String message() {
        StringBuilder message = new StringBuilder(String.format(NO_NODE_AVAILABLE, numAllNodes)).append(':');
        String preFilter = diagnosis.preFilterMessage();
        if (!preFilter.isEmpty()) {
            // A PreFilter rejection stands for every node: its message alone, not once per node.
            message.append(' ').append(preFilter).append('.');
        } else {
            List<String> histogram = histogram();
            if (!histogram.isEmpty()) {
                message.append(' ').append(String.join(", ", histogram)).append('.');
            }
        }
        String postFilter = diagnosis.postFilterMessage();
        if (!postFilter.isEmpty()) {
            message.append(' ').append(postFilter);
        }
        return message.toString();
    }

    /**
     * "count reason" for every reason of every node, nodes never evaluated counted with the absent nodes' status,
     * sorted as strings (so "10 x" comes before "2 y", as in Go's {@code sort.Strings}).
     */
    private List<String> histogram() {
        Map<String, Integer> reasons = new HashMap<>();
        for (Status status : diagnosis.nodeToStatus().values()) {
            for (String reason : status.reasons()) {
                reasons.merge(reason, 1, Integer::sum);
            }
        }
        int absent = numAllNodes - diagnosis.nodeToStatus().size();
        if (absent > 0) {
            for (String reason : diagnosis.absentNodesStatus().reasons()) {
                reasons.merge(reason, absent, Integer::sum);
            }
        }
        List<String> lines = new ArrayList<>();
        reasons.forEach((reason, count) -> lines.add(count + " " + reason));
        lines.sort(null);
        return lines;
    }
}
