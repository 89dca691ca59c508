package dev.kumo.controllers.scheduler.plugins.noderesources;

import dev.kumo.apimachinery.resource.ResourceNames;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.FilterPlugin;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.PreScorePlugin;
import dev.kumo.controllers.scheduler.framework.Resource;
import dev.kumo.controllers.scheduler.framework.ScorePlugin;
import dev.kumo.controllers.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * NodeResourcesFit: the pod's requests must fit in what the node's allocatable leaves after the placed pods' requests
 * (cpu, memory, ephemeral-storage, extended and other scalar resources), and the node must allow one more pod.
 * Scores with the LeastAllocated strategy: the more stays free, the better.
 */
public final class Fit implements FilterPlugin, PreScorePlugin, ScorePlugin {
    public static final String NAME = "NodeResourcesFit";

    private final Set<String> ignoredResources;
    private final Set<String> ignoredResourceGroups;
    private final ResourceAllocationScorer scorer;

    /** The default configuration: nothing ignored, LeastAllocated over cpu and memory with weight 1 each. */
    public Fit() {
        this(Set.of(), Set.of(), ResourceSpec.DEFAULT);
    }

    /**
     * @param ignoredResources extended resources not to check ({@code NodeResourcesFitArgs.IgnoredResources})
     * @param ignoredResourceGroups domains of extended resources not to check ({@code IgnoredResourceGroups})
     */
    public Fit(Set<String> ignoredResources, Set<String> ignoredResourceGroups, List<ResourceSpec> scoringResources) {
        this.ignoredResources = Set.copyOf(ignoredResources);
        this.ignoredResourceGroups = Set.copyOf(ignoredResourceGroups);
        this.scorer = new ResourceAllocationScorer(NAME, scoringResources, false,
                new LeastAllocated(scoringResources));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The pod's requests are parsed once per pod already ({@link PodInfo#requests()}): no PreFilter needed. */
    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<String> insufficient = insufficient(pod.requests(), node);
        if (insufficient.isEmpty()) {
            return Status.SUCCESS;
        }
        return Status.unschedulable(insufficient.toArray(String[]::new));
    }

    /** Why the node cannot spare {@code request}, one reason per resource it lacks ({@code fitsRequest}). */
    private List<String> insufficient(Resource request, NodeInfo node) {
        List<String> insufficient = new ArrayList<>(2);
        Resource allocatable = node.allocatable();
        Resource requested = node.requested();
        if (node.pods().size() + 1 > allocatable.pods()) {
            insufficient.add("Too many pods");
        }
        if (request.isEmptyRequest()) {
            return insufficient;
        }
        check(insufficient, Resource.CPU, request.milliCpu(), requested.milliCpu(), allocatable.milliCpu());
        check(insufficient, Resource.MEMORY, request.memory(), requested.memory(), allocatable.memory());
        check(insufficient, Resource.EPHEMERAL_STORAGE, request.ephemeralStorage(), requested.ephemeralStorage(),
                allocatable.ephemeralStorage());
        for (String name : new TreeSet<>(request.scalars().keySet())) {
            if (!isIgnored(name)) {
                check(insufficient, name, request.scalar(name), requested.scalar(name), allocatable.scalar(name));
            }
        }
        return insufficient;
    }

    /** A request of zero always fits, even on a node already over its allocatable. */
    private static void check(List<String> insufficient, String name, long request, long used, long capacity) {
        if (request > 0 && request > capacity - used) {
            insufficient.add("Insufficient " + name);
        }
    }

    private boolean isIgnored(String name) {
        if (!ResourceNames.isExtended(name)) {
            return false;
        }
        return ignoredResources.contains(name) || ignoredResourceGroups.contains(name.split("/", 2)[0]);
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterSnapshot snapshot) {
        scorer.preScore(state, pod);
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        return scorer.score(state, node);
    }
}
