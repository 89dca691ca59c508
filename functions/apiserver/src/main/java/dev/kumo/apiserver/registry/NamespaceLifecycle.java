package dev.kumo.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.admission.AdmissionDenied;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' NamespaceLifecycle admission: no new objects in a namespace that does not exist (404) or is being
 * deleted (403), and the system namespaces {@code default}, {@code kube-system} and {@code kube-public} cannot be
 * deleted (403).
 *
 * <p>Like kube-apiserver, which answers from an informer cache, it remembers active namespaces for {@link #ACTIVE_FOR}
 * instead of reading the namespace on every create; a miss reads the namespace from the store, which is strongly
 * consistent. A namespace deleted through this process is looked up live from then on (kube-apiserver's
 * force-live-lookup list), so this process refuses new content at once; another process may accept content for up
 * to {@link #ACTIVE_FOR} after the deletion began, the window an informer's lag gives Kubernetes. Closing that for
 * every process would cost a read per create (or a condition on the namespace in every create's transaction); the
 * namespace controller instead deletes the content it finds until none is left, so late objects are removed too.
 */
final class NamespaceLifecycle {
    static final Duration ACTIVE_FOR = Duration.ofSeconds(2);
    /** kube-apiserver's forceLiveLookupTTL: how long a namespace deleted here is read live. */
    static final Duration LIVE_LOOKUP_FOR = Duration.ofSeconds(30);
    static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");

    private final Store store;
    private final Clock clock;
    private final Map<String, Long> activeUntilMillis = new ConcurrentHashMap<>();
    private final Map<String, Long> liveLookupUntilMillis = new ConcurrentHashMap<>();

    NamespaceLifecycle(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Refuses a create of {@code object} (of kind {@code def}) in a missing or terminating namespace. */
    void requireActive(ResourceDefinition def, ObjectNode object, String namespace) {
        long now = clock.millis();
        Long until = activeUntilMillis.get(namespace);
        Long liveUntil = liveLookupUntilMillis.get(namespace);
        boolean live = liveUntil != null && liveUntil > now;
        if (until != null && until > now && !live) {
            return;
        }
        var stored = store.get(ObjectKey.cluster("namespaces", namespace))
                .orElseThrow(() -> ApiException.notFound("", "Namespace", "namespaces", namespace));
        if (isTerminating(stored.value())) {
            activeUntilMillis.remove(namespace);
            throw AdmissionDenied.of(def, AdmissionDenied.nameOf(object), "unable to create new content in namespace "
                    + namespace + " because it is being terminated", List.of(new ApiException.Cause(
                    "NamespaceTerminating", "namespace " + namespace + " is being terminated", "metadata.namespace")));
        }
        activeUntilMillis.put(namespace, now + ACTIVE_FOR.toMillis());
    }

    /** Refuses deleting a system namespace; a namespace about to be deleted is read live from now on. */
    void checkDelete(ResourceDefinition def, String name) {
        if (!def.group().isEmpty() || !def.plural().equals("namespaces")) {
            return;
        }
        if (IMMORTAL.contains(name)) {
            throw AdmissionDenied.of(def, name, "this namespace may not be deleted", List.of());
        }
        activeUntilMillis.remove(name);
        liveLookupUntilMillis.put(name, clock.millis() + LIVE_LOOKUP_FOR.toMillis());
        liveLookupUntilMillis.values().removeIf(until -> until <= clock.millis());
    }

    private static boolean isTerminating(JsonNode namespace) {
        return Meta.isBeingDeleted(namespace) || "Terminating".equals(namespace.path("status").path("phase").asText());
    }
}
