package dev.kumo.node.stats;

import java.time.Instant;

/**
 * One container's usage ({@code ContainerStats}): its name in the pod, when it was created (the kubelet's
 * {@code startTime}), and its CPU and memory, either null when the runtime measures nothing.
 */
public record ContainerStats(String id, String name, Instant startTime, CpuStats cpu, MemoryStats memory) {

    public ContainerStats withCpu(CpuStats rated) {
        return new ContainerStats(id, name, startTime, rated, memory);
    }
}
