package dev.kumo.controllers.scheduler.plugins.nodename;

import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.FilterPlugin;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.Status;

/** A pod that names its node ({@code spec.nodeName}) fits only that node. */
public final class NodeName implements FilterPlugin {
    public static final String NAME = "NodeName";
    public static final String ERR_REASON = "node(s) didn't match the requested node name";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (pod.nodeName().isEmpty() || pod.nodeName().equals(node.name())) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(ERR_REASON);
    }
}
