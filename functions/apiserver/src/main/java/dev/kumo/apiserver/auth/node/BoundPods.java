package dev.kumo.apiserver.auth.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoredObject;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * The pods bound to a node, read from the store when a node asks (kube-apiserver keeps an in-memory graph fed by
 * informers; a Lambda has no lasting memory, so each question is a read of the current state, which also means a
 * deleted pod stops granting access at once). What each question reads:
 * <ul>
 *   <li>{@link #pod}: one item, the pod itself.</li>
 *   <li>{@link #anyReferencing}: the pods of one namespace (one consistent query, paged by 1 MB, plus the
 *       revision counter the list is consistent at); the filter runs on each as it is read and only the matches
 *       are kept. Measured on DynamoDB Local with small pods (~0.8 KB stored, gzip): the query costs 4 read
 *       units for 20 pods and 19 for 100, plus about 2 for the counter; an index of pods by node would make it
 *       constant once namespaces grow large.</li>
 * </ul>
 */
public final class BoundPods {
    /** The store key of core pods ({@code BuiltinResources}' storage resource for pods). */
    static final String PODS = "pods";

    private final Store store;

    public BoundPods(Store store) {
        this.store = store;
    }

    /** The pod {@code namespace/name} as stored, if it exists. */
    public Optional<ObjectNode> pod(String namespace, String name) {
        return store.get(new ObjectKey(PODS, namespace, name)).map(StoredObject::value);
    }

    /** Whether some pod in {@code namespace} bound to {@code node} refers to what {@code refers} looks for. */
    public boolean anyReferencing(String node, String namespace, Predicate<PodReferences> refers) {
        Predicate<ObjectNode> filter = pod -> isBoundTo(pod, node) && refers.test(PodReferences.of(pod));
        return !store.list(PODS, new ListOptions(namespace, 0, null, 0, filter)).items().isEmpty();
    }

    public static boolean isBoundTo(JsonNode pod, String node) {
        return !node.isEmpty() && node.equals(pod.path("spec").path("nodeName").asText(""));
    }
}
