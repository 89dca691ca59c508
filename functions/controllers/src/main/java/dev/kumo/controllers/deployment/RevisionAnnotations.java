package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The annotations a deployment keeps on its replica sets ({@code SetNewReplicaSetAnnotations} and friends): the
 * deployment's own annotations copied (so {@code kubernetes.io/change-cause} reaches {@code kubectl rollout
 * history}), the revision, the revisions it had before a rollback ({@code revision-history}), and the
 * deployment's replicas and replicas plus surge when it was last sized ({@code desired-replicas},
 * {@code max-replicas}), which proportional scaling reads.
 */
final class RevisionAnnotations {
    /** Never copied from a deployment to its replica sets (nor back by {@code kubectl rollout undo}). */
    static final Set<String> SKIPPED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
            ReplicaSets.REVISION, ReplicaSets.REVISION_HISTORY, ReplicaSets.DESIRED_REPLICAS,
            ReplicaSets.MAX_REPLICAS, "deprecated.deployment.rollback.to");
    /** {@code maxRevHistoryLengthInChars}: the revision history annotation keeps at most this many characters. */
    static final int MAX_HISTORY_CHARS = 2000;

    private RevisionAnnotations() {
    }

    /**
     * Brings the new replica set's annotations up to date for {@code newRevision}; true if any changed. A replica
     * set that had an older revision (one being rolled back to) records that revision in its history.
     */
    static boolean setNewReplicaSetAnnotations(JsonNode deployment, ObjectNode rs, long newRevision,
                                               boolean exists) {
        boolean changed = copyDeploymentAnnotations(deployment, rs);
        ObjectNode annotations = ReplicaSets.annotations(rs);
        String oldRevision = annotations.path(ReplicaSets.REVISION).asText(null);
        long oldRevisionNumber = 0;
        if (oldRevision != null) {
            try {
                oldRevisionNumber = Long.parseLong(oldRevision);
            } catch (NumberFormatException e) {
                return false; // Kubernetes leaves a replica set with a garbled revision alone
            }
        }
        if (oldRevisionNumber < newRevision) {
            annotations.put(ReplicaSets.REVISION, Long.toString(newRevision));
            changed = true;
            if (oldRevision != null) {
                appendHistory(annotations, oldRevision);
            }
        }
        if (!exists && setReplicasAnnotations(rs, Deployments.replicas(deployment),
                Deployments.replicas(deployment) + Deployments.maxSurge(deployment))) {
            changed = true;
        }
        return changed;
    }

    private static void appendHistory(ObjectNode annotations, String oldRevision) {
        String history = annotations.path(ReplicaSets.REVISION_HISTORY).asText("");
        if (history.isEmpty()) {
            annotations.put(ReplicaSets.REVISION_HISTORY, oldRevision);
            return;
        }
        List<String> revisions = new ArrayList<>(Arrays.asList(history.split(",")));
        int total = history.length() + oldRevision.length() + 1;
        int start = 0;
        while (total > MAX_HISTORY_CHARS && start < revisions.size()) {
            total -= revisions.get(start).length() + 1;
            start++;
        }
        if (total <= MAX_HISTORY_CHARS) {
            List<String> kept = new ArrayList<>(revisions.subList(start, revisions.size()));
            kept.add(oldRevision);
            annotations.put(ReplicaSets.REVISION_HISTORY, String.join(",", kept));
        }
    }

    /** Copies the deployment's annotations but the skipped ones; true if any changed. */
    static boolean copyDeploymentAnnotations(JsonNode deployment, ObjectNode rs) {
        ObjectNode annotations = ReplicaSets.annotations(rs);
        boolean changed = false;
        for (Map.Entry<String, JsonNode> annotation : deployment.path("metadata").path("annotations").properties()) {
            if (SKIPPED.contains(annotation.getKey())
                    || annotation.getValue().equals(annotations.get(annotation.getKey()))) {
                continue;
            }
            annotations.set(annotation.getKey(), annotation.getValue());
            changed = true;
        }
        return changed;
    }

    /** Sets desired-replicas and max-replicas; true if either changed. */
    static boolean setReplicasAnnotations(ObjectNode rs, int desired, int max) {
        ObjectNode annotations = ReplicaSets.annotations(rs);
        boolean changed = false;
        if (!Integer.toString(desired).equals(annotations.path(ReplicaSets.DESIRED_REPLICAS).asText(null))) {
            annotations.put(ReplicaSets.DESIRED_REPLICAS, Integer.toString(desired));
            changed = true;
        }
        if (!Integer.toString(max).equals(annotations.path(ReplicaSets.MAX_REPLICAS).asText(null))) {
            annotations.put(ReplicaSets.MAX_REPLICAS, Integer.toString(max));
            changed = true;
        }
        return changed;
    }

    static boolean replicasAnnotationsNeedUpdate(JsonNode rs, int desired, int max) {
        return !Integer.toString(desired).equals(ReplicaSets.annotation(rs, ReplicaSets.DESIRED_REPLICAS))
                || !Integer.toString(max).equals(ReplicaSets.annotation(rs, ReplicaSets.MAX_REPLICAS));
    }
}
