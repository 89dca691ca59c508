package dev.kumo.apiserver.registry;

import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.errors.ApiException;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * No new objects in a namespace that does not exist or is being deleted (Kubernetes' NamespaceLifecycle).
 * Like kube-apiserver, which answers from an informer cache, it remembers active namespaces briefly instead of
 * reading the namespace on every create; a namespace that just started terminating may take up to
 * {@link #ACTIVE_FOR} to refuse new content, the same window an informer's lag gives Kubernetes.
 */
final class NamespaceLifecycle {
    static final Duration ACTIVE_FOR = Duration.ofSeconds(2);

    private final Store store;
    private final Clock clock;
    private final Map<String, Long> activeUntilMillis = new ConcurrentHashMap<>();

    NamespaceLifecycle(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void requireActive(String namespace) {
        long now = clock.millis();
        Long until = activeUntilMillis.get(namespace);
        if (until != null && until > now) {
            return;
        }
        var stored = store.get(ObjectKey.cluster("namespaces", namespace))
                .orElseThrow(() -> ApiException.notFound("", "Namespace", "namespaces", namespace));
        if (Meta.isBeingDeleted(stored.value())) {
            activeUntilMillis.remove(namespace);
            throw new ApiException(403, "Forbidden", "unable to create new content in namespace " + namespace
                    + " because it is being terminated", null);
        }
        activeUntilMillis.put(namespace, now + ACTIVE_FOR.toMillis());
    }
}
