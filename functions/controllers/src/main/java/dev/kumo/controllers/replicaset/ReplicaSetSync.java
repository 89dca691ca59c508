package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One sync of one replica set, Kubernetes' {@code syncReplicaSet}: read it and the pods of its namespace, claim its
 * pods (adopt and release), create or delete pods to reach {@code spec.replicas} (unless it is being deleted), and
 * write the status. Reads go to the API, never to a cache, so the expectations kube-controller-manager keeps
 * against its informer's lag are not needed; what keeps racing syncs from doubling pods is {@link PodSlots}.
 */
final class ReplicaSetSync {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaSetSync.class);
    /** At most this many pods are created or deleted in one sync ({@code BurstReplicas}); the rest in the next. */
    static final int BURST_REPLICAS = 500;
    /** When a racing sync or another pod held a name: look again soon to count what is there. */
    static final Duration RECOUNT = Duration.ofSeconds(1);
    /** When the API refused a create or delete (quota, admission): try again after this, with the failure recorded. */
    static final Duration REFUSED_RETRY = Duration.ofSeconds(15);

    static final String API_VERSION = "apps/v1";
    static final String KIND = "ReplicaSet";
    /** ReplicaSets control pods. */
    static final ControllerRefManager.Kinds KINDS = new ControllerRefManager.Kinds(ResourceType.REPLICA_SETS,
            API_VERSION, KIND, ResourceType.PODS);

    private final KubeClient client;
    private final ControllerContext context;
    private final PodControl pods;

    ReplicaSetSync(ControllerContext context) {
        this.client = context.client();
        this.context = context;
        this.pods = new PodControl(client, context.events());
    }

    Result sync(String namespace, String name) {
        Optional<ControllerRefManager> manager = ControllerRefManager.read(client, KINDS, namespace, name);
        if (manager.isEmpty()) {
            return Result.DONE;
        }
        ObjectNode replicaSet = manager.get().owner();
        List<ObjectNode> all = client.list(ResourceType.PODS, namespace, "", "");
        List<ObjectNode> active = all.stream().filter(Pods::isActive).toList();
        List<ObjectNode> claimed = manager.get().claim(active);

        Instant now = context.clock().instant();
        Managed managed = Meta.isBeingDeleted(replicaSet) ? Managed.NOTHING : manage(replicaSet, claimed, all, now);
        ObjectNode status = ReplicaSetStatus.calculate(replicaSet, claimed, managed.errorMessage(),
                claimed.size() - replicas(replicaSet), now);
        Result result = writeStatus(replicaSet, status).orSooner(managed.next());
        if (managed.error() != null) {
            throw managed.error(); // after the status says so: the host retries with back-off
        }
        if (managed.errorMessage() == null) {
            Optional<Duration> availability = ReplicaSetStatus.nextAvailability(replicaSet, claimed, now);
            if (availability.isPresent()) {
                result = result.orSooner(Result.requeueAfter(availability.get()));
            }
        }
        return result;
    }

    /** What {@code manageReplicas} did: when to look again, and a failure to report (and perhaps to throw). */
    private record Managed(Result next, String errorMessage, RuntimeException error) {
        static final Managed NOTHING = new Managed(Result.DONE, null, null);
    }

    private Managed manage(ObjectNode replicaSet, List<ObjectNode> claimed, List<ObjectNode> all, Instant now) {
        int diff = claimed.size() - replicas(replicaSet);
        if (diff < 0) {
            return create(replicaSet, all, -diff);
        }
        if (diff > 0) {
            return delete(replicaSet, claimed, all, diff, now);
        }
        return Managed.NOTHING;
    }

    private Managed create(ObjectNode replicaSet, List<ObjectNode> all, int missing) {
        int count = Math.min(missing, BURST_REPLICAS);
        PodSlots slots = new PodSlots(Meta.name(replicaSet), Meta.uid(replicaSet));
        Set<String> taken = new HashSet<>();
        all.forEach(pod -> taken.add(Meta.name(pod)));
        List<String> names = slots.freeNames(taken, count);
        LOG.atInfo().addKeyValue("replicaSet", key(replicaSet)).addKeyValue("need", replicas(replicaSet))
                .addKeyValue("creating", count).log("too few replicas");
        PodControl.Creates creates = pods.createPods(replicaSet,
                OwnerReferences.controllerRef(replicaSet, API_VERSION, KIND), names, slots.prefix());
        Result next = count < missing ? Result.requeueAfter(Duration.ZERO) : Result.DONE;
        if (creates.taken() > 0) {
            next = next.orSooner(Result.requeueAfter(RECOUNT));
        }
        if (creates.skipped() > 0) {
            LOG.atInfo().addKeyValue("replicaSet", key(replicaSet)).addKeyValue("skipped", creates.skipped())
                    .log("slow-start failure: skipping the remaining creates");
        }
        return failed(next, creates.failure());
    }

    private Managed delete(ObjectNode replicaSet, List<ObjectNode> claimed, List<ObjectNode> all, int surplus,
                           Instant now) {
        int count = Math.min(surplus, BURST_REPLICAS);
        List<ObjectNode> victims = new DeletionOrder(relatedPods(replicaSet, all), now)
                .firstToDelete(claimed, count);
        LOG.atInfo().addKeyValue("replicaSet", key(replicaSet)).addKeyValue("need", replicas(replicaSet))
                .addKeyValue("deleting", count).log("too many replicas");
        PodControl.Deletes deletes = pods.deletePods(replicaSet, victims);
        Result next = count < surplus || deletes.deleted() < victims.size()
                ? Result.requeueAfter(count < surplus ? Duration.ZERO : RECOUNT) : Result.DONE;
        return failed(next, deletes.failure());
    }

    /**
     * A refusal by the API (quota, admission, validation) is the world's state, not the loop's failure: it is
     * reported in the status and an event and tried again later. Anything else (the API unreachable, a 5xx) is
     * thrown after the status is written, for the host's retries.
     */
    private static Managed failed(Result next, RuntimeException failure) {
        if (failure == null) {
            return new Managed(next, null, null);
        }
        if (failure instanceof ApiError api && NamespaceTerminating.is(api)) {
            return new Managed(next, null, null); // everything here is about to be deleted
        }
        if (failure instanceof ApiError api && api.code() >= 400 && api.code() < 500 && api.code() != 429) {
            return new Managed(next.orSooner(Result.requeueAfter(REFUSED_RETRY)), api.getMessage(), null);
        }
        return new Managed(next, String.valueOf(failure.getMessage()), failure);
    }

    /**
     * The active pods of every replica set with the same controller ({@code getIndirectlyRelatedPods}): the
     * deletion order prefers pods on nodes that hold many of them. None for a replica set without a controller.
     */
    private List<ObjectNode> relatedPods(ObjectNode replicaSet, List<ObjectNode> all) {
        Optional<JsonNode> controller = OwnerReferences.controllerOf(replicaSet);
        if (controller.isEmpty()) {
            return List.of();
        }
        String controllerUid = controller.get().path("uid").asText("");
        Map<String, ObjectNode> related = new LinkedHashMap<>();
        for (ObjectNode sibling : client.list(ResourceType.REPLICA_SETS, Meta.namespace(replicaSet), "", "")) {
            if (!OwnerReferences.isControlledBy(sibling, controllerUid)) {
                continue;
            }
            LabelSelector selector = Selectors.orNothing(sibling);
            for (ObjectNode pod : all) {
                if (selector.matches(pod)) {
                    related.putIfAbsent(Meta.uid(pod), pod);
                }
            }
        }
        return new ArrayList<>(related.values());
    }

    /**
     * Writes the status if it changed, with observedGeneration, as {@code updateReplicaSetStatus}: a conflict is
     * retried once on a fresh read; a second conflict asks for another sync soon.
     */
    private Result writeStatus(ObjectNode replicaSet, ObjectNode status) {
        if (ReplicaSetStatus.unchanged(replicaSet, status)) {
            return Result.DONE;
        }
        status.put("observedGeneration", replicaSet.path("metadata").path("generation").asLong(0));
        ObjectNode current = replicaSet;
        for (int attempt = 0; ; attempt++) {
            ObjectNode update = current.deepCopy();
            update.set("status", status);
            try {
                client.updateStatus(ResourceType.REPLICA_SETS, update);
                return Result.DONE;
            } catch (ApiError e) {
                if (e.isNotFound()) {
                    return Result.DONE;
                }
                if (!e.isConflict()) {
                    throw e;
                }
                if (attempt >= 1) {
                    return Result.requeueAfter(RECOUNT);
                }
            }
            Optional<ObjectNode> fresh = client.get(ResourceType.REPLICA_SETS, Meta.namespace(replicaSet),
                    Meta.name(replicaSet));
            if (fresh.isEmpty() || !Meta.uid(fresh.get()).equals(Meta.uid(replicaSet))) {
                return Result.DONE;
            }
            current = fresh.get();
        }
    }

    static int replicas(JsonNode replicaSet) {
        return replicaSet.path("spec").path("replicas").asInt(1);
    }

    private static String key(JsonNode object) {
        return Meta.namespace(object) + "/" + Meta.name(object);
    }
}
