package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which pods a replica set deletes first when it has too many, Kubernetes' {@code ActivePodsWithRanks} with pod
 * deletion cost and logarithmic scale-down (both on by default): unassigned before assigned; Pending before
 * Unknown before Running; not ready before ready; lower deletion cost first; more pods of the same owner on the
 * node first; ready for less time first; more container restarts first; newer first. Times are compared on a
 * log2 scale of their age, ties broken by uid, so that pods of about the same age go in a pseudo-random order.
 */
public final class DeletionOrder implements Comparator<JsonNode> {
    private static final Map<String, Integer> PHASE_ORDER = Map.of("Pending", 0, "Unknown", 1, "Running", 2);

    private final Map<String, Integer> podsOnNode;
    private final Instant now;

    /** Ranks by how many active pods of {@code related} (the owner's pods, all its replica sets) share a node. */
    public DeletionOrder(Collection<? extends JsonNode> related, Instant now) {
        this.podsOnNode = new HashMap<>();
        for (JsonNode pod : related) {
            if (Pods.isActive(pod)) {
                podsOnNode.merge(Pods.nodeName(pod), 1, Integer::sum);
            }
        }
        this.now = now;
    }

    /** The {@code count} pods to delete, best candidates first ({@code getPodsToDelete}). */
    public List<ObjectNode> firstToDelete(List<ObjectNode> pods, int count) {
        List<ObjectNode> ordered = new ArrayList<>(pods);
        if (count < ordered.size()) {
            ordered.sort(this);
        }
        return ordered.subList(0, Math.min(count, ordered.size()));
    }

    @Override
    public int compare(JsonNode a, JsonNode b) {
        if (less(a, b)) {
            return -1;
        }
        return less(b, a) ? 1 : 0;
    }

    private boolean less(JsonNode a, JsonNode b) {
        String nodeA = Pods.nodeName(a);
        String nodeB = Pods.nodeName(b);
        if (!nodeA.equals(nodeB) && (nodeA.isEmpty() || nodeB.isEmpty())) {
            return nodeA.isEmpty();
        }
        int phaseA = PHASE_ORDER.getOrDefault(Pods.phase(a), 0);
        int phaseB = PHASE_ORDER.getOrDefault(Pods.phase(b), 0);
        if (phaseA != phaseB) {
            return phaseA < phaseB;
        }
        boolean readyA = Pods.isReady(a);
        boolean readyB = Pods.isReady(b);
        if (readyA != readyB) {
            return !readyA;
        }
        int costA = Pods.deletionCost(a);
        int costB = Pods.deletionCost(b);
        if (costA != costB) {
            return costA < costB;
        }
        int rankA = podsOnNode.getOrDefault(nodeA, 0);
        int rankB = podsOnNode.getOrDefault(nodeB, 0);
        if (rankA != rankB) {
            return rankA > rankB;
        }
        if (readyA) {
            Optional<Instant> sinceA = Pods.readySince(a);
            Optional<Instant> sinceB = Pods.readySince(b);
            if (!sinceA.equals(sinceB)) {
                return newerOnLogScale(a, sinceA, b, sinceB);
            }
        }
        int restartsA = Pods.maxContainerRestarts(a);
        int restartsB = Pods.maxContainerRestarts(b);
        if (restartsA != restartsB) {
            return restartsA > restartsB;
        }
        Optional<Instant> createdA = Pods.creationTimestamp(a);
        Optional<Instant> createdB = Pods.creationTimestamp(b);
        if (!createdA.equals(createdB)) {
            return newerOnLogScale(a, createdA, b, createdB);
        }
        return false;
    }

    /** A missing time first, then the more recent one on a log2 scale of age, ties by uid. */
    private boolean newerOnLogScale(JsonNode a, Optional<Instant> timeA, JsonNode b, Optional<Instant> timeB) {
        if (timeA.isEmpty() || timeB.isEmpty()) {
            return timeA.isEmpty();
        }
        long rankDiff = logRank(timeA.get()) - logRank(timeB.get());
        if (rankDiff == 0) {
            return Meta.uid(a).compareTo(Meta.uid(b)) < 0;
        }
        return rankDiff < 0;
    }

    private long logRank(Instant time) {
        Duration age = Duration.between(time, now);
        if (age.isNegative() || age.isZero()) {
            return -1;
        }
        return 63 - Long.numberOfLeadingZeros(age.toNanos()); // floor(log2(nanoseconds))
    }
}
