package dev.kumo.controllers.scheduler.framework;

import java.util.Set;

/**
 * A PreFilter's answer: its status, and (when not null) the only nodes the pod could go to (kube-scheduler's
 * {@code PreFilterResult.NodeNames}, used by NodeAffinity for {@code metadata.name} fields).
 */
public record PreFilterResult(Status status, Set<String> nodeNames) {
    public static final PreFilterResult ALL_NODES = new PreFilterResult(Status.SUCCESS, null);
    public static final PreFilterResult SKIP = new PreFilterResult(Status.SKIP, null);

    public static PreFilterResult of(Status status) {
        return new PreFilterResult(status, null);
    }

    public static PreFilterResult only(Set<String> nodeNames) {
        return new PreFilterResult(Status.SUCCESS, Set.copyOf(nodeNames));
    }

    public boolean allNodes() {
        return nodeNames == null;
    }
}
