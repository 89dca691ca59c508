package dev.kumo.node.cri;

import dev.kumo.node.cri.v1.Container;
import dev.kumo.node.cri.v1.ContainerFilter;
import dev.kumo.node.cri.v1.ContainerState;
import dev.kumo.node.cri.v1.ContainerStateValue;
import dev.kumo.node.cri.v1.CpuUsage;
import dev.kumo.node.cri.v1.ListContainerStatsRequest;
import dev.kumo.node.cri.v1.ListContainersRequest;
import dev.kumo.node.cri.v1.ListPodSandboxRequest;
import dev.kumo.node.cri.v1.MemoryUsage;
import dev.kumo.node.cri.v1.PodSandbox;
import dev.kumo.node.cri.v1.PodSandboxState;
import dev.kumo.node.stats.ContainerStats;
import dev.kumo.node.stats.CpuStats;
import dev.kumo.node.stats.MemoryStats;
import dev.kumo.node.stats.PodStats;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The CPU and memory part of the kubelet's CRI stats provider: the node's sandboxes ({@code ListPodSandbox}, one per
 * pod: the ready one, else the newest), their running containers ({@code ListContainers}) and each container's
 * usage from the runtime ({@code ListContainerStats}: cumulative CPU, memory with the working set, and the CPU rate
 * where the runtime computes it — containerd 1.6.20 does, between two calls of anyone's).
 *
 * <p>Pod-level usage is not asked for: containerd 1.6 answers {@code ListPodSandboxStats} only for sandboxes with
 * a cgroup parent ("cgroupPath is empty" otherwise), and the agent makes no pod cgroups (the kubelet's cgroup
 * manager does); the summary then sums the containers', as the kubelet does when it finds no pod cgroup. Reading
 * the containers' cgroups directly is not needed either: containerd's {@code ListContainerStats} fills every memory
 * field the summary has, on cgroup v1 and v2.
 */
final class CriStats {
    private final CriClient client;
    private final Clock clock;

    CriStats(CriClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    List<PodStats> list() {
        List<PodSandbox> sandboxes = onePerPod(client.runtime().listPodSandbox(
                ListPodSandboxRequest.getDefaultInstance()).getItemsList());
        Map<String, List<Container>> running = client.runtime().listContainers(ListContainersRequest.newBuilder()
                        .setFilter(ContainerFilter.newBuilder().setState(ContainerStateValue.newBuilder()
                                .setState(ContainerState.CONTAINER_RUNNING))).build())
                .getContainersList().stream().collect(Collectors.groupingBy(Container::getPodSandboxId));
        Map<String, dev.kumo.node.cri.v1.ContainerStats> usage = client.runtime()
                .listContainerStats(ListContainerStatsRequest.getDefaultInstance()).getStatsList().stream()
                .collect(Collectors.toMap(stats -> stats.getAttributes().getId(), Function.identity(),
                        (a, b) -> b));
        List<PodStats> pods = new ArrayList<>();
        for (PodSandbox sandbox : sandboxes) {
            List<ContainerStats> containers = new ArrayList<>();
            for (Container container : running.getOrDefault(sandbox.getId(), List.of())) {
                dev.kumo.node.cri.v1.ContainerStats stats = usage.get(container.getId());
                if (stats != null) { // started after the list: next time
                    containers.add(new ContainerStats(container.getId(), stats.getAttributes().getMetadata().getName(),
                            instant(container.getCreatedAt()), cpu(stats), memory(stats)));
                }
            }
            pods.add(new PodStats(sandbox.getMetadata().getName(), sandbox.getMetadata().getNamespace(),
                    sandbox.getMetadata().getUid(), instant(sandbox.getCreatedAt()), containers, null, null));
        }
        return pods;
    }

    /**
     * The kubelet's {@code removeTerminatedPods}: of the sandboxes of one pod (by namespace and name), the ready ones,
     * else the newest.
     */
    static List<PodSandbox> onePerPod(List<PodSandbox> sandboxes) {
        Map<String, List<PodSandbox>> byPod = new LinkedHashMap<>();
        sandboxes.stream().sorted(Comparator.comparingLong(PodSandbox::getCreatedAt)).forEach(sandbox ->
                byPod.computeIfAbsent(sandbox.getMetadata().getNamespace() + "/" + sandbox.getMetadata().getName(),
                        key -> new ArrayList<>()).add(sandbox));
        List<PodSandbox> chosen = new ArrayList<>();
        for (List<PodSandbox> ofPod : byPod.values()) {
            List<PodSandbox> ready = ofPod.stream().filter(s -> s.getState() == PodSandboxState.SANDBOX_READY)
                    .toList();
            chosen.addAll(ready.isEmpty() ? List.of(ofPod.get(ofPod.size() - 1)) : ready);
        }
        return chosen;
    }

    /** As the kubelet reads it: no CPU reading at all is zero usage now. */
    private CpuStats cpu(dev.kumo.node.cri.v1.ContainerStats stats) {
        if (!stats.hasCpu()) {
            return new CpuStats(clock.instant(), 0L, 0L);
        }
        CpuUsage cpu = stats.getCpu();
        return new CpuStats(instant(cpu.getTimestamp()),
                cpu.hasUsageNanoCores() ? cpu.getUsageNanoCores().getValue() : null,
                cpu.hasUsageCoreNanoSeconds() ? cpu.getUsageCoreNanoSeconds().getValue() : null);
    }

    /** As the kubelet reads it: no memory reading at all is a working set of zero now. */
    private MemoryStats memory(dev.kumo.node.cri.v1.ContainerStats stats) {
        if (!stats.hasMemory()) {
            return new MemoryStats(clock.instant(), null, null, 0L, null, null, null);
        }
        MemoryUsage memory = stats.getMemory();
        return new MemoryStats(instant(memory.getTimestamp()),
                memory.hasAvailableBytes() ? memory.getAvailableBytes().getValue() : null,
                memory.hasUsageBytes() ? memory.getUsageBytes().getValue() : null,
                memory.hasWorkingSetBytes() ? memory.getWorkingSetBytes().getValue() : null,
                memory.hasRssBytes() ? memory.getRssBytes().getValue() : null,
                memory.hasPageFaults() ? memory.getPageFaults().getValue() : null,
                memory.hasMajorPageFaults() ? memory.getMajorPageFaults().getValue() : null);
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }
}
