package dev.kumo.controllers.scheduler.framework;

import java.util.List;

/**
 * A PostFilter's answer. {@code status} success means the plugin found a way (for preemption: {@code nominatedNode}
 * after evicting {@code victims}); otherwise its message explains why not.
 */
public record PostFilterResult(Status status, String nominatedNode, List<PodInfo> victims) {
    public PostFilterResult {
        victims = List.copyOf(victims);
    }

    public static PostFilterResult failed(Status status) {
        return new PostFilterResult(status, "", List.of());
    }
}
