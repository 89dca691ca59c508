package dev.kumo.controllers.scheduler.plugins.noderesources;

import java.util.List;

/** A resource a scoring strategy looks at, with its weight ({@code config.ResourceSpec}). */
public record ResourceSpec(String name, long weight) {
    /** kube-scheduler's default for both NodeResourcesFit scoring and BalancedAllocation: cpu and memory, weight 1. */
    public static final List<ResourceSpec> DEFAULT = List.of(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1));
}
