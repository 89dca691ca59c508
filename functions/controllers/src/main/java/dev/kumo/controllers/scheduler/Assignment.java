package dev.kumo.controllers.scheduler;

import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.Resource;

/**
 * A placement to make durable: the pod, its node, and the amounts a conditional write needs to prove the node still
 * has room. {@code podRequests} is what the pod adds ({@code pods} = 1); {@code nodeAllocatable} is the node's
 * allocatable ({@code pods} = pods allowed); {@code nodeRequested} is what this scheduler believed was already placed
 * (including pods) when it chose the node.
 *
 * <p>The node keeps room for the pod iff, for every resource the pod requests more than zero of,
 * {@code allocated + request <= allocatable}, and {@code pods + 1 <= allowed pods}: exactly NodeResourcesFit's rule,
 * so a writer can check it against the stored allocation instead of this scheduler's view.
 */
public record Assignment(PodInfo pod, String nodeName, Resource podRequests, Resource nodeAllocatable,
                         Resource nodeRequested) {

    /** Whether {@code allocated} (the node's stored allocation) still leaves room for this pod. */
    public boolean fitsOn(Resource allocated) {
        if (allocated.pods() + 1 > nodeAllocatable.pods()) {
            return false;
        }
        if (!fits(podRequests.milliCpu(), allocated.milliCpu(), nodeAllocatable.milliCpu())
                || !fits(podRequests.memory(), allocated.memory(), nodeAllocatable.memory())
                || !fits(podRequests.ephemeralStorage(), allocated.ephemeralStorage(),
                nodeAllocatable.ephemeralStorage())) {
            return false;
        }
        for (var scalar : podRequests.scalars().entrySet()) {
            if (!fits(scalar.getValue(), allocated.scalar(scalar.getKey()), nodeAllocatable.scalar(scalar.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean fits(long request, long allocated, long allocatable) {
        return request <= 0 || allocated + request <= allocatable;
    }
}
