package dev.kumo.apiserver.registry;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.resources.ResourceDefinition;

/** The one place where store outcomes become Kubernetes errors. */
final class Errors {
    private Errors() {
    }

    static ApiException from(ResourceDefinition def, ObjectKey key, StoreException e) {
        String name = key == null ? "" : key.name();
        return switch (e) {
            case StoreException.NotFound notFound -> ApiException.notFound(def.group(), def.kind(), def.plural(), name);
            case StoreException.AlreadyExists exists -> ApiException.alreadyExists(def.group(), def.plural(), name);
            case StoreException.Conflict conflict -> ApiException.conflict(def.group(), def.plural(), name,
                    "the object has been modified; please apply your changes to the latest version and try again");
            case StoreException.Expired expired -> ApiException.gone(expired.getMessage());
            case StoreException.RevisionTooLarge tooLarge -> ApiException.timeout(tooLarge.getMessage(), 1);
            case StoreException.InvalidContinue invalid -> ApiException.badRequest(invalid.getMessage());
            case StoreException.TooLarge tooLarge -> ApiException.tooLarge(tooLarge.getMessage());
            // Kubernetes' NewInternalError wording, as for a value etcd holds that does not decrypt.
            case StoreException.TransformFailed failed -> ApiException.internal("Internal error occurred: "
                    + failed.getMessage());
            default -> ApiException.internal(e.getMessage());
        };
    }
}
