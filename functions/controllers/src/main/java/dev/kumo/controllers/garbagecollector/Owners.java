package dev.kumo.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.meta.Meta;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tells whether an owner reference still names a live owner, as the collector's {@code isDangling} does: an owner
 * that is gone, or whose uid differs (a recreated owner with the same name is not the owner), is absent. Absence is
 * final (a uid never comes back), so absent uids are remembered per process, like kube's absent-owner cache; presence
 * is always read again, from the scan at hand or by a GET.
 */
final class Owners {
    static final String FOREGROUND = "foregroundDeletion";
    static final String ORPHAN = "orphan";
    private static final int REMEMBERED = 10_000;

    enum State {
        /** Gone, or another object with the same name: the reference dangles. */
        ABSENT,
        /** Present and not waiting for its dependents. */
        SOLID,
        /** Present, being deleted in the foreground: it waits for its dependents to go. */
        WAITING,
        /** A kind the API does not serve, or a namespaced owner named by a cluster-scoped object. */
        UNRESOLVABLE
    }

    private final KubeClient client;
    private final ApiResources resources;
    private final Map<String, Boolean> absent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    Owners(KubeClient client, ApiResources resources) {
        this.client = client;
        this.resources = resources;
    }

    /** The state of the owner {@code reference} names, for a dependent in {@code namespace} ("" if cluster-scoped). */
    State resolve(OwnerReference reference, String namespace, Scan scan) {
        synchronized (absent) {
            if (absent.containsKey(reference.uid())) {
                return State.ABSENT;
            }
        }
        Scan.Item listed = scan.byUid(reference.uid());
        if (listed != null) {
            return stateOf(listed.object());
        }
        Optional<ApiResources.Resource> resource = resources.forKind(reference.apiVersion(), reference.kind());
        if (resource.isEmpty() || resource.get().type().namespaced() && namespace.isEmpty()) {
            return State.UNRESOLVABLE;
        }
        String ownerNamespace = resource.get().type().namespaced() ? namespace : "";
        Optional<ObjectNode> owner = client.get(resource.get().type(), ownerNamespace, reference.name());
        if (owner.isEmpty() || !Meta.uid(owner.get()).equals(reference.uid())) {
            synchronized (absent) {
                absent.put(reference.uid(), Boolean.TRUE);
            }
            return State.ABSENT;
        }
        return stateOf(owner.get());
    }

    static State stateOf(JsonNode owner) {
        return Meta.isBeingDeleted(owner) && hasFinalizer(owner, FOREGROUND) ? State.WAITING : State.SOLID;
    }

    static boolean hasFinalizer(JsonNode object, String finalizer) {
        for (JsonNode present : object.path("metadata").path("finalizers")) {
            if (present.asText().equals(finalizer)) {
                return true;
            }
        }
        return false;
    }
}
