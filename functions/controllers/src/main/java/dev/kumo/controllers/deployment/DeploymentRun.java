package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.replicaset.OwnerReferences;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.runtime.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One sync of one deployment after its replica sets are claimed, Kubernetes' {@code syncDeployment} and the
 * strategies it dispatches to: a deployment being deleted only gets its status; a paused one, or one whose size
 * changed, is scaled ({@code sync}); otherwise it rolls out with RollingUpdate or Recreate. It keeps the latest
 * deployment and replica sets the API returned after each write, so that one sync's writes build on each other.
 */
final class DeploymentRun {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentRun.class);
    static final String API_VERSION = "apps/v1";
    static final String KIND = "Deployment";
    static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private final KubeClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final List<ObjectNode> replicaSets;
    private final Map<String, List<ObjectNode>> podsByReplicaSet;
    private final ReplicaSetScaler scaler;
    private ObjectNode deployment;
    private Result next = Result.DONE;

    DeploymentRun(KubeClient client, EventRecorder events, Clock clock, ObjectNode deployment,
                  List<ObjectNode> replicaSets, Map<String, List<ObjectNode>> podsByReplicaSet) {
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.deployment = deployment;
        this.replicaSets = new ArrayList<>(replicaSets);
        this.podsByReplicaSet = podsByReplicaSet;
        this.scaler = new ScalerHost().scaler();
    }

    Result run() {
        if (Meta.isBeingDeleted(deployment)) {
            Rollout rollout = replicaSetsAndRevision(false);
            syncStatus(rollout);
            return next;
        }
        checkPausedConditions();
        if (Deployments.paused(deployment) || isScalingEvent()) {
            return sync();
        }
        return Deployments.isRollingUpdate(deployment) ? rolloutRolling() : rolloutRecreate();
    }

    /** The new replica set (null if none yet) and the old ones, as of the latest writes. */
    record Rollout(ObjectNode newRS, List<ObjectNode> oldRSs) {
        List<ObjectNode> all() {
            List<ObjectNode> all = new ArrayList<>(oldRSs);
            all.add(newRS);
            return all;
        }
    }

    // ---- sync: scaling and paused deployments ----

    private Result sync() {
        Rollout rollout = replicaSetsAndRevision(false);
        scaler.scale(rollout.newRS(), rollout.oldRSs());
        rollout = current(rollout);
        if (Deployments.paused(deployment)) {
            cleanup(rollout.oldRSs());
        }
        syncStatus(rollout);
        return next;
    }

    /** {@code isScalingEvent}: an active replica set was sized for another number of replicas. */
    private boolean isScalingEvent() {
        Rollout rollout = replicaSetsAndRevision(false);
        for (ObjectNode rs : ReplicaSets.active(rollout.all())) {
            var desired = ReplicaSets.intAnnotation(rs, ReplicaSets.DESIRED_REPLICAS);
            if (desired.isPresent() && desired.getAsInt() != Deployments.replicas(deployment)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code checkPausedConditions}: Progressing=Unknown with DeploymentPaused while paused and DeploymentResumed
     * when resumed, so that the time spent paused never counts against the progress deadline.
     */
    private void checkPausedConditions() {
        if (!Deployments.hasProgressDeadline(deployment)) {
            return;
        }
        JsonNode status = deployment.path("status");
        if (Conditions.hasReason(status, Conditions.PROGRESSING, Conditions.TIMED_OUT)) {
            return;
        }
        boolean pausedCondition = Conditions.hasReason(status, Conditions.PROGRESSING, Conditions.PAUSED);
        ObjectNode updated = statusCopy();
        if (Deployments.paused(deployment) && !pausedCondition) {
            Conditions.set(updated, Conditions.condition(Conditions.PROGRESSING, "Unknown", Conditions.PAUSED,
                    "Deployment is paused", now()));
        } else if (!Deployments.paused(deployment) && pausedCondition) {
            Conditions.set(updated, Conditions.condition(Conditions.PROGRESSING, "Unknown", Conditions.RESUMED,
                    "Deployment is resumed", now()));
        } else {
            return;
        }
        writeStatus(updated);
    }

    // ---- RollingUpdate ----

    private Result rolloutRolling() {
        Rollout rollout = replicaSetsAndRevision(true);
        if (reconcileNewReplicaSet(rollout)) {
            return syncRolloutStatus(current(rollout));
        }
        rollout = current(rollout);
        if (reconcileOldReplicaSets(rollout)) {
            return syncRolloutStatus(current(rollout));
        }
        if (RolloutStatus.isComplete(deployment, deployment.path("status"))) {
            cleanup(rollout.oldRSs());
        }
        return syncRolloutStatus(current(rollout));
    }

    private boolean reconcileNewReplicaSet(Rollout rollout) {
        ObjectNode newRS = rollout.newRS();
        int replicas = Deployments.replicas(deployment);
        if (ReplicaSets.replicas(newRS) == replicas) {
            return false;
        }
        if (ReplicaSets.replicas(newRS) > replicas) {
            return scaler.scaleReplicaSet(newRS, replicas);
        }
        return scaler.scaleReplicaSet(newRS, newReplicasCount(rollout.all(), newRS));
    }

    /**
     * {@code NewRSNewReplicas}: RollingUpdate grows the new replica set up to replicas plus surge in total, never
     * beyond replicas; Recreate makes it replicas at once.
     */
    private int newReplicasCount(List<ObjectNode> all, ObjectNode newRS) {
        int replicas = Deployments.replicas(deployment);
        if (!Deployments.isRollingUpdate(deployment)) {
            return replicas;
        }
        int current = ReplicaSets.specReplicas(all);
        int maxTotal = replicas + Deployments.rawMaxSurge(deployment);
        if (current >= maxTotal) {
            return ReplicaSets.replicas(newRS);
        }
        int scaleUp = Math.min(maxTotal - current, replicas - ReplicaSets.replicas(newRS));
        return ReplicaSets.replicas(newRS) + scaleUp;
    }

    /**
     * {@code reconcileOldReplicaSets}: scale old replica sets down as far as the availability budget allows,
     * counting the new replica set's unavailable pods against it, and unhealthy old pods first.
     */
    private boolean reconcileOldReplicaSets(Rollout rollout) {
        List<ObjectNode> oldRSs = new ArrayList<>(ReplicaSets.active(rollout.oldRSs()));
        int oldPods = ReplicaSets.specReplicas(oldRSs);
        if (oldPods == 0) {
            return false;
        }
        ObjectNode newRS = rollout.newRS();
        int allPods = ReplicaSets.specReplicas(rollout.all());
        int maxUnavailable = Deployments.maxUnavailable(deployment);
        int minAvailable = Deployments.replicas(deployment) - maxUnavailable;
        int newUnavailable = ReplicaSets.replicas(newRS) - ReplicaSets.availableReplicas(newRS);
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return false;
        }
        Optional<ObjectNode> lagging = oldRSs.stream()
                .filter(rs -> ReplicaSets.availableReplicas(rs) > ReplicaSets.replicas(rs)).findFirst();
        if (lagging.isPresent()) {
            // Its status still counts the pods of a larger size. kube-controller-manager refuses to go on ("invalid
            // request to scale down"): desired − available would be negative, and taking it off would scale the old
            // replica set back up; the available count would also let too many go. Its status update brings the
            // deployment back.
            LOG.atDebug().addKeyValue("deployment", key()).addKeyValue("replicaSet", Meta.name(lagging.get()))
                    .log("an old replica set's status has not caught up with its size: waiting for it");
            return false;
        }
        int cleaned = cleanupUnhealthyReplicas(oldRSs, maxScaledDown);
        // From here on only the replica sets that were active count: an old one already at zero may still report
        // available pods that are on their way out.
        Rollout fresh = current(new Rollout(newRS, oldRSs));
        int scaledDown = scaleDownOldReplicaSets(fresh.all(), fresh.oldRSs(), minAvailable);
        return cleaned + scaledDown > 0;
    }

    /** {@code cleanupUnhealthyReplicas}: drop old replica sets' unavailable pods first, oldest sets first. */
    private int cleanupUnhealthyReplicas(List<ObjectNode> oldRSs, int maxCleanup) {
        List<ObjectNode> ordered = new ArrayList<>(oldRSs);
        ordered.sort(ReplicaSets.BY_CREATION);
        int total = 0;
        for (ObjectNode rs : ordered) {
            if (total >= maxCleanup) {
                break;
            }
            int replicas = ReplicaSets.replicas(rs);
            int available = ReplicaSets.availableReplicas(rs);
            if (replicas == 0 || replicas == available) {
                continue;
            }
            int count = Math.min(maxCleanup - total, replicas - available);
            scaler.scaleReplicaSet(rs, replicas - count);
            total += count;
        }
        return total;
    }

    /** {@code scaleDownOldReplicaSetsForRollingUpdate}: as many as are available above minAvailable, oldest first. */
    private int scaleDownOldReplicaSets(List<ObjectNode> all, List<ObjectNode> oldRSs, int minAvailable) {
        int available = ReplicaSets.sum(all, ReplicaSets::availableReplicas);
        if (available <= minAvailable) {
            return 0;
        }
        List<ObjectNode> ordered = new ArrayList<>(oldRSs);
        ordered.sort(ReplicaSets.BY_CREATION);
        int total = 0;
        int toScaleDown = available - minAvailable;
        for (ObjectNode rs : ordered) {
            if (total >= toScaleDown) {
                break;
            }
            int replicas = ReplicaSets.replicas(rs);
            if (replicas == 0) {
                continue;
            }
            int count = Math.min(replicas, toScaleDown - total);
            scaler.scaleReplicaSet(rs, replicas - count);
            total += count;
        }
        return total;
    }

    // ---- Recreate ----

    private Result rolloutRecreate() {
        Rollout rollout = replicaSetsAndRevision(false);
        boolean scaledDown = false;
        for (ObjectNode old : ReplicaSets.active(rollout.oldRSs())) {
            scaledDown |= scaler.scaleReplicaSet(old, 0);
        }
        if (scaledDown) {
            return syncRolloutStatus(current(rollout));
        }
        if (oldPodsRunning(rollout)) {
            return syncRolloutStatus(rollout);
        }
        if (rollout.newRS() == null) {
            rollout = replicaSetsAndRevision(true);
        }
        scaler.scaleReplicaSet(rollout.newRS(), Deployments.replicas(deployment));
        rollout = current(rollout);
        if (RolloutStatus.isComplete(deployment, deployment.path("status"))) {
            cleanup(rollout.oldRSs());
        }
        return syncRolloutStatus(current(rollout));
    }

    /** {@code oldPodsRunning}: old replica sets still count pods, or old pods not finished are still there. */
    private boolean oldPodsRunning(Rollout rollout) {
        if (ReplicaSets.sum(rollout.oldRSs(), ReplicaSets::statusReplicas) > 0) {
            return true;
        }
        String newUid = rollout.newRS() == null ? null : Meta.uid(rollout.newRS());
        for (Map.Entry<String, List<ObjectNode>> pods : podsByReplicaSet.entrySet()) {
            if (pods.getKey().equals(newUid)) {
                continue;
            }
            for (ObjectNode pod : pods.getValue()) {
                String phase = pod.path("status").path("phase").asText("");
                if (!phase.equals("Failed") && !phase.equals("Succeeded")) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- replica sets and revisions ----

    /**
     * {@code getAllReplicaSetsAndSyncRevision}: the old replica sets, and the new one (the one whose template is
     * the deployment's, created if asked and missing) brought to revision max(old)+1, with the deployment's
     * revision annotation following it.
     */
    private Rollout replicaSetsAndRevision(boolean create) {
        ObjectNode existing = findNewReplicaSet();
        List<ObjectNode> oldRSs = new ArrayList<>();
        for (ObjectNode rs : replicaSets) {
            if (existing == null || !Meta.uid(rs).equals(Meta.uid(existing))) {
                oldRSs.add(rs);
            }
        }
        long newRevision = ReplicaSets.maxRevision(oldRSs) + 1;
        if (existing != null) {
            return new Rollout(syncExistingNewReplicaSet(existing, newRevision), oldRSs);
        }
        if (!create) {
            return new Rollout(null, oldRSs);
        }
        return new Rollout(createNewReplicaSet(oldRSs, newRevision), oldRSs);
    }

    /** {@code FindNewReplicaSet}: the oldest replica set whose template equals the deployment's but for the hash. */
    private ObjectNode findNewReplicaSet() {
        List<ObjectNode> ordered = new ArrayList<>(replicaSets);
        ordered.sort(ReplicaSets.BY_CREATION);
        JsonNode template = deployment.path("spec").path("template");
        for (ObjectNode rs : ordered) {
            if (Templates.equalIgnoringHash(rs.path("spec").path("template"), template)) {
                return rs;
            }
        }
        return null;
    }

    private ObjectNode syncExistingNewReplicaSet(ObjectNode existing, long newRevision) {
        ObjectNode copy = existing.deepCopy();
        boolean annotationsChanged = RevisionAnnotations.setNewReplicaSetAnnotations(deployment, copy, newRevision,
                true);
        long minReadySeconds = Deployments.minReadySeconds(deployment);
        boolean minReadyChanged = copy.path("spec").path("minReadySeconds").asLong(0) != minReadySeconds;
        if (annotationsChanged || minReadyChanged) {
            ((ObjectNode) copy.path("spec")).put("minReadySeconds", minReadySeconds);
            return scaler.update(copy);
        }
        String revision = ReplicaSets.annotation(copy, ReplicaSets.REVISION);
        boolean revisionChanged = setDeploymentRevision(revision);
        if (Deployments.hasProgressDeadline(deployment)
                && Conditions.get(deployment.path("status"), Conditions.PROGRESSING).isEmpty()) {
            ObjectNode status = statusCopy();
            Conditions.set(status, Conditions.condition(Conditions.PROGRESSING, "True", Conditions.FOUND_NEW_RS,
                    "Found new replica set \"" + Meta.name(copy) + "\"", now()));
            writeStatus(status);
        } else if (revisionChanged) {
            LOG.atDebug().addKeyValue("deployment", key()).addKeyValue("revision", revision).log("revision synced");
        }
        return copy;
    }

    private ObjectNode createNewReplicaSet(List<ObjectNode> oldRSs, long newRevision) {
        JsonNode collisionCount = deployment.path("status").get("collisionCount");
        Integer collisions = collisionCount == null || collisionCount.isNull() ? null : collisionCount.asInt();
        String hash = TemplateHash.of(deployment.path("spec").path("template"), collisions);
        ObjectNode newRS = newReplicaSet(hash);
        List<ObjectNode> all = new ArrayList<>(oldRSs);
        all.add(newRS);
        int replicas = newReplicasCount(all, newRS);
        ((ObjectNode) newRS.path("spec")).put("replicas", replicas);
        RevisionAnnotations.setNewReplicaSetAnnotations(deployment, newRS, newRevision, false);
        ObjectNode created;
        boolean alreadyExisted = false;
        try {
            created = client.create(ResourceType.REPLICA_SETS, Meta.namespace(deployment), newRS);
        } catch (ApiError e) {
            if (!e.isConflict()) {
                failedCreate(newRS, e);
                throw e;
            }
            Optional<ObjectNode> found = client.get(ResourceType.REPLICA_SETS, Meta.namespace(deployment),
                    Meta.name(newRS));
            if (found.isPresent() && OwnerReferences.isControlledBy(found.get(), Meta.uid(deployment))
                    && Templates.equalIgnoringHash(deployment.path("spec").path("template"),
                    found.get().path("spec").path("template"))) {
                created = found.get(); // made by an earlier sync that did not get to record it
                alreadyExisted = true;
            } else {
                hashCollision(collisions);
                throw e; // the next sync tries the name the new collision count gives
            }
        }
        replicaSets.add(created);
        if (!alreadyExisted && replicas > 0) {
            events.normal(deployment, "ScalingReplicaSet",
                    "Scaled up replica set " + Meta.name(created) + " from 0 to " + replicas);
        }
        setDeploymentRevision(Long.toString(newRevision));
        if (!alreadyExisted && Deployments.hasProgressDeadline(deployment)) {
            ObjectNode status = statusCopy();
            Conditions.set(status, Conditions.condition(Conditions.PROGRESSING, "True", Conditions.NEW_REPLICA_SET,
                    "Created new replica set \"" + Meta.name(created) + "\"", now()));
            writeStatus(status);
        }
        return created;
    }

    /**
     * The replica set for the deployment's template: named {@code <deployment>-<hash>} (the deployment's name cut
     * so that the name fits 253 characters), labelled and selecting with the hash as well, controlled by the
     * deployment, with its minReadySeconds.
     */
    private ObjectNode newReplicaSet(String hash) {
        ObjectNode template = deployment.path("spec").path("template").deepCopy();
        ObjectNode templateMetadata = template.has("metadata") ? (ObjectNode) template.get("metadata")
                : template.putObject("metadata");
        ObjectNode labels = templateMetadata.has("labels") ? (ObjectNode) templateMetadata.get("labels")
                : templateMetadata.putObject("labels");
        labels.put(POD_TEMPLATE_HASH, hash);
        ObjectNode selector = deployment.path("spec").path("selector").deepCopy();
        ObjectNode matchLabels = selector.has("matchLabels") ? (ObjectNode) selector.get("matchLabels")
                : selector.putObject("matchLabels");
        matchLabels.put(POD_TEMPLATE_HASH, hash);
        String base = Meta.name(deployment);
        int room = 253 - 1 - hash.length();
        String name = (base.length() > room ? base.substring(0, room) : base) + "-" + hash;

        ObjectNode rs = JsonNodeFactory.instance.objectNode().put("apiVersion", API_VERSION).put("kind", "ReplicaSet");
        ObjectNode metadata = rs.putObject("metadata").put("name", name).put("namespace", Meta.namespace(deployment));
        metadata.set("labels", labels.deepCopy());
        metadata.putArray("ownerReferences").add(OwnerReferences.controllerRef(deployment, API_VERSION, KIND));
        ObjectNode spec = rs.putObject("spec").put("replicas", 0)
                .put("minReadySeconds", Deployments.minReadySeconds(deployment));
        spec.set("selector", selector);
        spec.set("template", template);
        return rs;
    }

    /** A refused create: Progressing=False with ReplicaSetCreateError (when there is a deadline) and a warning. */
    private void failedCreate(ObjectNode newRS, ApiError error) {
        String message = "Failed to create new replica set \"" + Meta.name(newRS) + "\": " + error.getMessage();
        if (Deployments.hasProgressDeadline(deployment)) {
            ObjectNode status = statusCopy();
            Conditions.set(status, Conditions.condition(Conditions.PROGRESSING, "False", Conditions.FAILED_RS_CREATE,
                    message, now()));
            writeStatus(status);
        }
        events.warning(deployment, Conditions.FAILED_RS_CREATE, message);
    }

    /** A replica set not of this template holds the name: count the collision so the next hash differs. */
    private void hashCollision(Integer collisions) {
        ObjectNode status = statusCopy();
        status.put("collisionCount", collisions == null ? 1 : collisions + 1);
        writeStatus(status);
        LOG.atInfo().addKeyValue("deployment", key()).addKeyValue("collisionCount", status.get("collisionCount"))
                .log("hash collision: collisionCount bumped");
    }

    /**
     * {@code cleanupDeployment}: beyond revisionHistoryLimit, delete the oldest old replica sets that are scaled
     * to zero, have no pods and whose latest spec their controller has seen.
     */
    private void cleanup(List<ObjectNode> oldRSs) {
        OptionalLong limit = Deployments.revisionHistoryLimit(deployment);
        if (limit.isEmpty()) {
            return;
        }
        List<ObjectNode> cleanable = new ArrayList<>(oldRSs.stream().filter(rs -> !Meta.isBeingDeleted(rs)).toList());
        long diff = cleanable.size() - limit.getAsLong();
        if (diff <= 0) {
            return;
        }
        cleanable.sort(ReplicaSets.BY_REVISION);
        for (int i = 0; i < diff; i++) {
            ObjectNode rs = cleanable.get(i);
            if (ReplicaSets.statusReplicas(rs) != 0 || ReplicaSets.replicas(rs) != 0
                    || Deployments.generation(rs) > rs.path("status").path("observedGeneration").asLong(0)) {
                continue;
            }
            LOG.atInfo().addKeyValue("deployment", key()).addKeyValue("replicaSet", Meta.name(rs))
                    .log("deleting an old replica set beyond the revision history limit");
            client.delete(ResourceType.REPLICA_SETS, Meta.namespace(rs), Meta.name(rs), null, Meta.uid(rs));
            replicaSets.removeIf(r -> Meta.uid(r).equals(Meta.uid(rs)));
        }
    }

    // ---- status ----

    private Result syncRolloutStatus(Rollout rollout) {
        ObjectNode status = RolloutStatus.rollout(deployment, rollout.all(), rollout.newRS(), now());
        if (SemanticJson.equal(deployment.path("status"), status)) {
            next = next.orSooner(RolloutStatus.recheckDeadline(deployment, status, now()));
            return next;
        }
        writeStatus(status);
        return next;
    }

    private void syncStatus(Rollout rollout) {
        ObjectNode status = RolloutStatus.calculate(deployment, rollout.all(), rollout.newRS(), now());
        if (!SemanticJson.equal(deployment.path("status"), status)) {
            writeStatus(status);
        }
    }

    private void writeStatus(ObjectNode status) {
        ObjectNode update = deployment.deepCopy();
        update.set("status", status);
        deployment = client.updateStatus(ResourceType.DEPLOYMENTS, update);
    }

    /**
     * {@code SetDeploymentRevision}: the deployment's revision annotation follows its new replica set's. Kubernetes
     * writes it with the status (its status subresource keeps annotation changes); kumo's status subresource
     * changes only the status, so it is a merge patch of the annotation.
     */
    private boolean setDeploymentRevision(String revision) {
        if (revision == null || revision.equals(ReplicaSets.annotation(deployment, ReplicaSets.REVISION))) {
            return false;
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.putObject("metadata").putObject("annotations").put(ReplicaSets.REVISION, revision);
        deployment = client.mergePatch(ResourceType.DEPLOYMENTS, Meta.namespace(deployment), Meta.name(deployment),
                "", patch);
        return true;
    }

    private ObjectNode statusCopy() {
        JsonNode status = deployment.get("status");
        return status instanceof ObjectNode object ? object.deepCopy() : JsonNodeFactory.instance.objectNode();
    }

    /** The same rollout with every replica set as last written. */
    private Rollout current(Rollout rollout) {
        List<ObjectNode> oldRSs = new ArrayList<>();
        for (ObjectNode old : rollout.oldRSs()) {
            oldRSs.add(latest(old));
        }
        return new Rollout(rollout.newRS() == null ? null : latest(rollout.newRS()), oldRSs);
    }

    private ObjectNode latest(ObjectNode rs) {
        for (ObjectNode known : replicaSets) {
            if (Meta.uid(known).equals(Meta.uid(rs))) {
                return known;
            }
        }
        return rs;
    }

    private Instant now() {
        return clock.instant();
    }

    private String key() {
        return Meta.namespace(deployment) + "/" + Meta.name(deployment);
    }

    /** Gives the scaler access to this run's deployment and replica sets. */
    private final class ScalerHost implements ReplicaSetScaler.Host {
        ReplicaSetScaler scaler() {
            return new ReplicaSetScaler(client, events, this);
        }

        @Override
        public ObjectNode deployment() {
            return deployment;
        }

        @Override
        public void written(ObjectNode rs) {
            replicaSets.replaceAll(known -> Meta.uid(known).equals(Meta.uid(rs)) ? rs : known);
        }

        @Override
        public ObjectNode latest(ObjectNode rs) {
            return DeploymentRun.this.latest(rs);
        }
    }
}
