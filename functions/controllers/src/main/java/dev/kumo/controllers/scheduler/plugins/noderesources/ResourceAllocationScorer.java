package dev.kumo.controllers.scheduler.plugins.noderesources;

import dev.kumo.apimachinery.resource.ResourceNames;
import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.Resource;

import java.util.List;

/**
 * What NodeResourcesFit's scoring and BalancedAllocation share ({@code resourceAllocationScorer}): for each configured
 * resource, the node's allocatable and what would be requested with the pod on it, handed to a scoring function.
 *
 * <p>With {@code useRequested} false, cpu and memory count containers that request none as 100m and 200Mi (the
 * "non-zero" requests), so that empty requests do not all pile onto one node.
 */
final class ResourceAllocationScorer {
    /** Scores a node from per-resource requested and allocatable amounts (resources with allocatable 0 are 0/0). */
    interface Strategy {
        long score(long[] requested, long[] allocatable);
    }

    private final CycleState.Key<long[]> podRequestsKey;
    private final List<ResourceSpec> resources;
    private final boolean useRequested;
    private final Strategy strategy;

    ResourceAllocationScorer(String pluginName, List<ResourceSpec> resources, boolean useRequested,
                             Strategy strategy) {
        this.podRequestsKey = new CycleState.Key<>("PreScore" + pluginName);
        this.resources = List.copyOf(resources);
        this.useRequested = useRequested;
        this.strategy = strategy;
    }

    /** PreScore: the pod's requests of the configured resources, once per cycle. */
    void preScore(CycleState state, PodInfo pod) {
        state.write(podRequestsKey, podRequests(pod));
    }

    /** Score: the strategy's score for the node with the pod placed. */
    long score(CycleState state, NodeInfo node) {
        return score(node, state.read(podRequestsKey));
    }

    /** The pod's request of each configured resource ({@code calculatePodResourceRequestList}). */
    long[] podRequests(PodInfo pod) {
        long[] requests = new long[resources.size()];
        for (int i = 0; i < requests.length; i++) {
            String name = resources.get(i).name();
            requests[i] = switch (name) {
                case Resource.CPU -> useRequested ? pod.requests().milliCpu() : pod.nonZeroMilliCpu();
                case Resource.MEMORY -> useRequested ? pod.requests().memory() : pod.nonZeroMemory();
                default -> pod.requests().get(name);
            };
        }
        return requests;
    }

    long score(NodeInfo node, long[] podRequests) {
        long[] requested = new long[resources.size()];
        long[] allocatable = new long[resources.size()];
        for (int i = 0; i < requested.length; i++) {
            String name = resources.get(i).name();
            long podRequest = podRequests[i];
            // A scalar resource the pod does not ask for does not count for this pod.
            if (podRequest == 0 && ResourceNames.isScalar(name)) {
                continue;
            }
            Resource alloc = node.allocatable();
            Resource placed = node.requested();
            switch (name) {
                case Resource.CPU -> {
                    allocatable[i] = alloc.milliCpu();
                    requested[i] = (useRequested ? placed.milliCpu() : node.nonZeroMilliCpu()) + podRequest;
                }
                case Resource.MEMORY -> {
                    allocatable[i] = alloc.memory();
                    requested[i] = (useRequested ? placed.memory() : node.nonZeroMemory()) + podRequest;
                }
                case Resource.EPHEMERAL_STORAGE -> {
                    allocatable[i] = alloc.ephemeralStorage();
                    requested[i] = placed.ephemeralStorage() + podRequest;
                }
                default -> {
                    if (alloc.scalars().containsKey(name)) {
                        allocatable[i] = alloc.scalar(name);
                        requested[i] = placed.scalar(name) + podRequest;
                    }
                }
            }
            if (allocatable[i] == 0) {
                requested[i] = 0;
            }
        }
        return strategy.score(requested, allocatable);
    }
}
