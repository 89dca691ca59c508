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
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.strategy.PodStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each node holds: the requests of the pods bound to it, kept in one store object per node and changed only
 * with optimistic concurrency. Binding a pod (setting {@code spec.nodeName}) reserves its requests on the node
 * first and fails with 409 when they do not fit the node's allocatable cpu, memory, ephemeral-storage or pod
 * count; so schedulers running at once can never overcommit a node, whichever wins the race. A pod releases its
 * reservation when it is deleted or reaches Succeeded or Failed (kube-scheduler no longer counts it then).
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
            reserve(node, pod, false);
        }
    }

    @Override
    public void reallocate(ObjectNode pod, ObjectNode old) {
        String node = nodeName(pod);
        String oldNode = nodeName(old);
        boolean active = !PodStrategy.isTerminal(pod);
        boolean wasActive = !PodStrategy.isTerminal(old);
        if (!node.isEmpty() && active && (oldNode.isEmpty() || !wasActive)) {
            reserve(node, pod, true); // the binding
        } else if (!oldNode.isEmpty() && wasActive && (!active || node.isEmpty())) {
            unreserve(oldNode, Meta.uid(old)); // finished (or an undone binding)
        }
    }

    @Override
    public void undo(ObjectNode attempted, ObjectNode old) {
        reallocate(old, attempted);
    }

    @Override
    public void release(ObjectNode pod) {
        String node = nodeName(pod);
        if (!node.isEmpty()) {
            unreserve(node, Meta.uid(pod));
        }
    }

    private void reserve(String node, ObjectNode pod, boolean checkRoom) {
        String uid = Meta.uid(pod);
        ResourceList requests = PodResources.requests(pod.path("spec"), true);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<StoredObject> current = read(node);
            Map<String, ResourceList> held = current.map(stored -> pods(stored.value())).orElse(Map.of());
            if (held.containsKey(uid)) {
                return; // reserved by an earlier attempt of the same write
            }
            if (checkRoom) {
                requireRoom(node, pod, requests, held);
            }
            ObjectNode next = current.map(stored -> stored.value().deepCopy()).orElseGet(() -> empty(node));
            ObjectNode entry = ((ObjectNode) next.path("pods")).putObject(uid);
            entry.put("pod", Meta.namespace(pod) + "/" + Meta.name(pod));
            entry.set("requests", requests.toJson());
            try {
                if (current.isPresent()) {
                    store.update(key(node), next, current.get().revision());
                } else {
                    store.create(key(node), next);
                }
                return;
            } catch (StoreException.Conflict | StoreException.AlreadyExists raced) {
                LOG.atDebug().addKeyValue("node", node).addKeyValue("attempt", attempt)
                        .log("node reservation changed meanwhile; reading it again");
            }
        }
        throw ApiException.conflict("", "pods", Meta.name(pod), "the reservations of node \"" + node
                + "\" kept changing; try again");
    }

    private void unreserve(String node, String uid) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<StoredObject> current = read(node);
            if (current.isEmpty() || !current.get().value().path("pods").has(uid)) {
                return;
            }
            ObjectNode next = current.get().value().deepCopy();
            ((ObjectNode) next.path("pods")).remove(uid);
            try {
                store.update(key(node), next, current.get().revision());
                return;
            } catch (StoreException.Conflict raced) {
                LOG.atDebug().addKeyValue("node", node).addKeyValue("attempt", attempt)
                        .log("node reservation changed meanwhile; reading it again");
            }
        }
        throw new IllegalStateException("could not release pod " + uid + " from node " + node + " after "
                + MAX_ATTEMPTS + " attempts");
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

    private Optional<StoredObject> read(String node) {
        return store.get(key(node));
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
