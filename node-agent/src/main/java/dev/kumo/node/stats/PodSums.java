package dev.kumo.node.stats;

import java.util.List;
import java.util.function.Function;

/**
 * A pod's CPU and memory as the sum of its containers', as the kubelet's CRI stats provider adds them up when it has
 * no pod cgroup ({@code addPodCPUMemoryStats}): a field a container does not report counts as 0, the time is the last
 * container's; a pod none of whose containers reports CPU (or memory) has none. Unlike the kubelet, a field no
 * container reports stays unknown instead of 0 (with containerd every container reports every field; the process
 * runtime's have no usage or available bytes, and 0 available would read as a pod out of memory).
 */
final class PodSums {
    private PodSums() {
    }

    static CpuStats cpu(List<ContainerStats> containers) {
        List<CpuStats> cpus = containers.stream().map(ContainerStats::cpu).filter(c -> c != null).toList();
        if (cpus.isEmpty()) {
            return null;
        }
        return new CpuStats(cpus.get(cpus.size() - 1).time(), sum(cpus, CpuStats::usageNanoCores),
                sum(cpus, CpuStats::usageCoreNanoSeconds));
    }

    static MemoryStats memory(List<ContainerStats> containers) {
        List<MemoryStats> memories = containers.stream().map(ContainerStats::memory).filter(m -> m != null).toList();
        if (memories.isEmpty()) {
            return null;
        }
        return new MemoryStats(memories.get(memories.size() - 1).time(), sum(memories, MemoryStats::availableBytes),
                sum(memories, MemoryStats::usageBytes), sum(memories, MemoryStats::workingSetBytes),
                sum(memories, MemoryStats::rssBytes), sum(memories, MemoryStats::pageFaults),
                sum(memories, MemoryStats::majorPageFaults));
    }

    /** Null when no container reports the field (the process runtime has no usage or limit): not a false 0. */
    private static <T> Long sum(List<T> readings, Function<T, Long> field) {
        Long total = null;
        for (T reading : readings) {
            Long value = field.apply(reading);
            if (value != null) {
                total = (total == null ? 0 : total) + value;
            }
        }
        return total;
    }
}
