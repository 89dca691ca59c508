package dev.kumo.controllers.scheduler.plugins.nodeunschedulable;

import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.FilterPlugin;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.Status;
import dev.kumo.controllers.scheduler.framework.Taint;
import dev.kumo.controllers.scheduler.framework.Toleration;

/**
 * Keeps pods off cordoned nodes ({@code spec.unschedulable}), unless the pod tolerates the
 * {@code node.kubernetes.io/unschedulable:NoSchedule} taint that stands for it.
 */
public final class NodeUnschedulable implements FilterPlugin {
    public static final String NAME = "NodeUnschedulable";
    public static final String ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";
    private static final Taint UNSCHEDULABLE = new Taint(Taint.UNSCHEDULABLE_KEY, "", Taint.NO_SCHEDULE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (!node.isUnschedulable() || Toleration.tolerate(pod.tolerations(), UNSCHEDULABLE)) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
    }
}
