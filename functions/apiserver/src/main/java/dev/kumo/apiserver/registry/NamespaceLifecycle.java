package dev.kumo.apiserver.registry;

import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.errors.ApiException;

/** No new objects in a namespace that does not exist or is being deleted (Kubernetes' NamespaceLifecycle). */
final class NamespaceLifecycle {
    private final Store store;

    NamespaceLifecycle(Store store) {
        this.store = store;
    }

    void requireActive(String namespace) {
        var stored = store.get(ObjectKey.cluster("namespaces", namespace))
                .orElseThrow(() -> ApiException.notFound("", "Namespace", "namespaces", namespace));
        if (Meta.isBeingDeleted(stored.value())) {
            throw new ApiException(403, "Forbidden", "unable to create new content in namespace " + namespace
                    + " because it is being terminated", null);
        }
    }
}
