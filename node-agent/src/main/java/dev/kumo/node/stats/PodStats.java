package dev.kumo.node.stats;

import java.time.Instant;
import java.util.List;

/**
 * One pod's usage ({@code PodStats}): the pod it is ({@code podRef}), when its sandbox was made ({@code startTime}),
 * its running containers, and the pod's own CPU and memory (null where unknown; the summary then sums the
 * containers', as the kubelet does when the pod's cgroup gives nothing).
 */
public record PodStats(String name, String namespace, String uid, Instant startTime, List<ContainerStats> containers,
                       CpuStats cpu, MemoryStats memory) {

    public PodStats with(List<ContainerStats> rated, CpuStats podCpu, MemoryStats podMemory) {
        return new PodStats(name, namespace, uid, startTime, rated, podCpu, podMemory);
    }
}
