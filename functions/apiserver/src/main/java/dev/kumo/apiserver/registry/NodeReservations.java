package dev.kumo.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.resource.PodResources;
import dev.kumo.apimachinery.resource.ResourceList;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredRecord;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.strategy.PodStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What each node holds: the requests of the pods bound to it, kept in one store record per node (no revision, no
 * watch: nothing but this class reads it) and changed only with optimistic concurrency; a binding, and a pod's
 * finish, write it in the same transaction as the pod. Binding a pod (setting {@code spec.nodeName}) reserves its requests on the node
 * first and fails with 409 when they do not fit the node's allocatable cpu, memory, ephemeral-storage or pod
 * count; so schedulers running at once can never overcommit a node, whichever wins the race. A pod releases its
 * reservation when it reaches Succeeded or Failed (kube-scheduler no longer counts it then), and after it is
 * deleted (so the room is never free while the pod still holds it).
 *
 * <p>A pod created with {@code spec.nodeName} already set is recorded without the check: Kubernetes accepts such
 * pods and leaves the refusal to the kubelet, and the record keeps the scheduler's view of the node true.
 */
public final class NodeReservations implements Allocations {
    private static final Logger LOG = LoggerFactory.getLogger(NodeReservations.class);
    static final String RESOURCE = "kumo.dev/nodereservations";
    private static final int MAX_ATTEMPTS = 32;

    private final Store store;
    private final ObjectMapper mapper;

    public NodeReservations(Store store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    @Override
    public void allocate(ObjectNode pod) {
        String node = nodeName(pod);
        if (!node.isEmpty() && !PodStrategy.isTerminal(pod)) {
            writeAlone(node, pod, () -> reservation(node, pod, false, store.getRecord(key(node))));
        }
    }

    @Override
    public void release(ObjectNode pod) {
        String node = nodeName(pod);
        if (!node.isEmpty()) {
            writeAlone(node, pod, () -> withoutPod(node, Meta.uid(pod), store.getRecord(key(node))));
        }
    }

    /**
     * Both directions of an update, the binding (the pod comes to hold room) and the finish (a pod reaching
     * Succeeded or Failed gives it back), come back as the record's write, to be committed in the same transaction
     * as the pod: the pod's revision, its log entry and the node's record change together or not at all. A record
     * that moved meanwhile fails the transaction with a conflict on the record's key, and the registry asks again,
     * on a fresh read of the record.
     */
    @Override
    public Optional<StoredRecord.Write> reallocateWithUpdate(ObjectNode pod, ObjectNode old) {
        if (takesRoom(pod, old)) {
            String node = nodeName(pod);
            return reservation(node, pod, true, store.getRecord(key(node)));
        }
        if (takesRoom(old, pod)) {
            String node = nodeName(old);
            return withoutPod(node, Meta.uid(old), store.getRecord(key(node)));
        }
        return Optional.empty();
    }

    @Override
    public void reallocate(ObjectNode pod, ObjectNode old) {
        String node = nodeName(takesRoom(pod, old) ? pod : old);
        writeAlone(node, pod, () -> reallocateWithUpdate(pod, old));
    }

    /**
     * Nothing to give back: an update's reservation is only ever written in the update's own transaction. (Undoing
     * here once released the room of a pod that a concurrent binding of the same pod had just reserved: that
     * attempt found the pod in the record already, wrote the pod alone, lost the race on its revision, and took
     * the winner's reservation away, which let the node be overcommitted.)
     */
    @Override
    public void undo(ObjectNode attempted, ObjectNode old) {
    }

    /** Whether the pod comes to hold room on a node: bound now, active, and not holding it before. */
    private static boolean takesRoom(ObjectNode pod, ObjectNode old) {
        return !nodeName(pod).isEmpty() && !PodStrategy.isTerminal(pod)
                && (nodeName(old).isEmpty() || PodStrategy.isTerminal(old));
    }

    /** Writes a change of the record on its own (not beside a pod's write), computing it again when it raced. */
    private void writeAlone(String node, ObjectNode pod, Supplier<Optional<StoredRecord.Write>> change) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<StoredRecord.Write> write = change.get();
            if (write.isEmpty()) {
                return;
            }
            try {
                store.putRecord(write.get());
                return;
            } catch (StoreException.Conflict raced) {
                LOG.atDebug().addKeyValue("node", node).addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod))
                        .addKeyValue("attempt", attempt).log("node reservation changed meanwhile; reading it again");
            }
        }
        throw ApiException.conflict("", "pods", Meta.name(pod), "the reservations of node \"" + node
                + "\" kept changing; try again");
    }

    /** The record with the pod added, or empty when it holds the pod already (an earlier attempt wrote it). */
    private Optional<StoredRecord.Write> reservation(String node, ObjectNode pod, boolean checkRoom,
                                                     Optional<StoredRecord> current) {
        String uid = Meta.uid(pod);
        Map<String, ResourceList> held = current.map(stored -> pods(stored.value())).orElse(Map.of());
        if (held.containsKey(uid)) {
            return Optional.empty();
        }
        ResourceList requests = PodResources.requests(pod.path("spec"), true);
        if (checkRoom) {
            requireRoom(node, pod, requests, held);
        }
        ObjectNode next = current.map(stored -> stored.value().deepCopy()).orElseGet(() -> empty(node));
        ObjectNode entry = ((ObjectNode) next.path("pods")).putObject(uid);
        entry.put("pod", Meta.namespace(pod) + "/" + Meta.name(pod));
        entry.set("requests", requests.toJson());
        return Optional.of(new StoredRecord.Write(key(node), next, current.map(StoredRecord::version).orElse(0L)));
    }

    /** The record without the pod, or empty when it does not hold the pod (given back already, or never held). */
    private static Optional<StoredRecord.Write> withoutPod(String node, String uid, Optional<StoredRecord> current) {
        if (current.isEmpty() || !current.get().value().path("pods").has(uid)) {
            return Optional.empty();
        }
        ObjectNode next = current.get().value().deepCopy();
        ((ObjectNode) next.path("pods")).remove(uid);
        return Optional.of(new StoredRecord.Write(key(node), next, current.get().version()));
    }

    /** 409 naming each resource that does not fit, in kube-scheduler's words ("Insufficient cpu"). */
    private void requireRoom(String node, ObjectNode pod, ResourceList requests, Map<String, ResourceList> held) {
        JsonNode allocatableJson = store.get(ObjectKey.cluster("nodes", node))
                .map(stored -> stored.value().path("status").path("allocatable")).orElse(null);
        if (allocatableJson == null || !allocatableJson.isObject() || allocatableJson.isEmpty()) {
            return; // a node that states no allocatable is not limited here (nothing to check against)
        }
        ResourceList allocatable = ResourceList.fromJson(allocatableJson);
        List<String> insufficient = new ArrayList<>();
        if (allocatable.has("pods") && held.size() + 1 > allocatable.get("pods").value()) {
            insufficient.add("Too many pods");
        }
        ResourceList after = requests;
        for (ResourceList each : held.values()) {
            after = after.add(each);
        }
        for (String resource : after.mask(requests.names()).exceeding(allocatable)) {
            if (!resource.equals("pods")) {
                insufficient.add("Insufficient " + resource);
            }
        }
        if (!insufficient.isEmpty()) {
            throw ApiException.conflict("", "pods", Meta.name(pod), "node \"" + node + "\" cannot hold the pod: "
                    + String.join(", ", insufficient));
        }
    }

    private ObjectNode empty(String node) {
        ObjectNode value = mapper.createObjectNode();
        value.putObject("metadata").put("name", node);
        value.putObject("pods");
        return value;
    }

    private static Map<String, ResourceList> pods(JsonNode value) {
        Map<String, ResourceList> pods = new java.util.LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = value.path("pods").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            pods.put(entry.getKey(), ResourceList.fromJson(entry.getValue().path("requests")));
        }
        return pods;
    }

    private static ObjectKey key(String node) {
        return ObjectKey.cluster(RESOURCE, node);
    }

    private static String nodeName(ObjectNode pod) {
        return pod.path("spec").path("nodeName").asText("");
    }
}
