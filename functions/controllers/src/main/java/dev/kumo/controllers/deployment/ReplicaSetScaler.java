package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.client.events.EventRecorder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes a deployment's replica sets ({@code scaleReplicaSet}, with the {@code ScalingReplicaSet} event "Scaled up
 * replica set x from 0 to 3"), and scales them all when the deployment's replicas change ({@code scale}): the only
 * active one (or the newest) takes the new size; during a rolling update the difference is shared among the active
 * ones in proportion to their size ({@code GetProportion}), so a rollout in progress keeps its new/old ratio.
 */
final class ReplicaSetScaler {
    /** The deployment and replica sets as the run has them, and what it must know about writes. */
    interface Host {
        ObjectNode deployment();

        void written(ObjectNode rs);

        ObjectNode latest(ObjectNode rs);
    }

    private final KubeClient client;
    private final EventRecorder events;
    private final Host host;

    ReplicaSetScaler(KubeClient client, EventRecorder events, Host host) {
        this.client = client;
        this.events = events;
        this.host = host;
    }

    /**
     * {@code scaleReplicaSetAndRecordEvent}: sizes it (with its replicas annotations) unless it has that size
     * already; true if its size changed.
     */
    boolean scaleReplicaSet(ObjectNode rs, int newScale) {
        int current = ReplicaSets.replicas(host.latest(rs));
        if (current == newScale) {
            return false;
        }
        return scaleReplicaSet(rs, newScale, current < newScale ? "up" : "down");
    }

    private boolean scaleReplicaSet(ObjectNode stale, int newScale, String operation) {
        ObjectNode rs = host.latest(stale);
        JsonNode deployment = host.deployment();
        int replicas = Deployments.replicas(deployment);
        int max = replicas + Deployments.maxSurge(deployment);
        int oldScale = ReplicaSets.replicas(rs);
        boolean sizeChanges = oldScale != newScale;
        if (!sizeChanges && !RevisionAnnotations.replicasAnnotationsNeedUpdate(rs, replicas, max)) {
            return false;
        }
        ObjectNode copy = rs.deepCopy();
        ((ObjectNode) copy.path("spec")).put("replicas", newScale);
        RevisionAnnotations.setReplicasAnnotations(copy, replicas, max);
        ObjectNode updated = update(copy);
        if (sizeChanges) {
            events.normal(deployment, "ScalingReplicaSet", "Scaled " + operation + " replica set "
                    + Meta.name(updated) + " from " + oldScale + " to " + newScale);
        }
        return sizeChanges;
    }

    /** Writes a replica set (a conflict means it changed meanwhile: the sync is retried). */
    ObjectNode update(ObjectNode rs) {
        ObjectNode updated = client.update(ResourceType.REPLICA_SETS, rs);
        host.written(updated);
        return updated;
    }

    /** {@code scale}: brings the replica sets to the deployment's new size. */
    void scale(ObjectNode newRS, List<ObjectNode> oldRSs) {
        JsonNode deployment = host.deployment();
        int replicas = Deployments.replicas(deployment);
        ObjectNode activeOrLatest = activeOrLatest(newRS, oldRSs);
        if (activeOrLatest != null) {
            if (ReplicaSets.replicas(activeOrLatest) != replicas) {
                scaleReplicaSet(activeOrLatest, replicas);
            }
            return;
        }
        if (isSaturated(deployment, newRS)) {
            for (ObjectNode old : ReplicaSets.active(oldRSs)) {
                scaleReplicaSet(old, 0);
            }
            return;
        }
        if (!Deployments.isRollingUpdate(deployment)) {
            return;
        }
        List<ObjectNode> all = new ArrayList<>(oldRSs);
        all.add(newRS);
        List<ObjectNode> active = new ArrayList<>(ReplicaSets.active(all));
        int allowedSize = replicas > 0 ? replicas + Deployments.maxSurge(deployment) : 0;
        int toAdd = allowedSize - ReplicaSets.specReplicas(active);
        String operation = "";
        if (toAdd > 0) {
            active.sort(ReplicaSets.BY_SIZE_NEWER);
            operation = "up";
        } else if (toAdd < 0) {
            active.sort(ReplicaSets.BY_SIZE_OLDER);
            operation = "down";
        }
        Map<String, Integer> sizes = new HashMap<>();
        int added = 0;
        for (ObjectNode rs : active) {
            int proportion = toAdd == 0 ? 0 : proportion(rs, deployment, toAdd, added);
            sizes.put(Meta.uid(rs), ReplicaSets.replicas(rs) + proportion);
            added += proportion;
        }
        for (int i = 0; i < active.size(); i++) {
            ObjectNode rs = active.get(i);
            int size = sizes.get(Meta.uid(rs));
            if (i == 0 && toAdd != 0) {
                size = Math.max(0, size + toAdd - added); // leftovers go to the largest
            }
            scaleReplicaSet(rs, size, operation); // also refreshes the replicas annotations of those it keeps
        }
    }

    /** {@code FindActiveOrLatest}: the one active replica set, or the newest if none is active; null if several. */
    static ObjectNode activeOrLatest(ObjectNode newRS, List<ObjectNode> oldRSs) {
        if (newRS == null && oldRSs.isEmpty()) {
            return null;
        }
        List<ObjectNode> newestFirst = new ArrayList<>(oldRSs);
        newestFirst.sort(ReplicaSets.BY_CREATION.reversed());
        List<ObjectNode> all = new ArrayList<>(newestFirst);
        if (newRS != null) {
            all.add(newRS);
        }
        List<ObjectNode> active = ReplicaSets.active(all);
        return switch (active.size()) {
            case 0 -> newRS != null ? newRS : newestFirst.get(0);
            case 1 -> active.get(0);
            default -> null;
        };
    }

    /** {@code IsSaturated}: the new replica set is sized for, and has available, all the deployment's replicas. */
    static boolean isSaturated(JsonNode deployment, ObjectNode rs) {
        if (rs == null) {
            return false;
        }
        int replicas = Deployments.replicas(deployment);
        var desired = ReplicaSets.intAnnotation(rs, ReplicaSets.DESIRED_REPLICAS);
        return desired.isPresent() && ReplicaSets.replicas(rs) == replicas && desired.getAsInt() == replicas
                && ReplicaSets.availableReplicas(rs) == replicas;
    }

    /** {@code GetProportion}: this replica set's share of the replicas to add (or remove), within what is left. */
    static int proportion(ObjectNode rs, JsonNode deployment, int toAdd, int added) {
        if (ReplicaSets.replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = fraction(rs, deployment);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    /**
     * {@code getReplicaSetFraction}: its size scaled from the deployment's size when it was last sized
     * (max-replicas, or else status.replicas) to the new replicas plus surge, minus its size.
     */
    private static int fraction(ObjectNode rs, JsonNode deployment) {
        int replicas = Deployments.replicas(deployment);
        if (replicas == 0) {
            return -ReplicaSets.replicas(rs);
        }
        int maxReplicas = replicas + Deployments.maxSurge(deployment);
        var annotated = ReplicaSets.intAnnotation(rs, ReplicaSets.MAX_REPLICAS);
        int before = annotated.isPresent() && annotated.getAsInt() != 0 ? annotated.getAsInt()
                : deployment.path("status").path("replicas").asInt(0);
        if (before == 0) {
            return 0;
        }
        double size = (double) ReplicaSets.replicas(rs) * maxReplicas / before;
        long rounded = size < 0 ? -Math.round(-size) : Math.round(size); // Go's math.Round: half away from zero
        return (int) rounded - ReplicaSets.replicas(rs);
    }
}
