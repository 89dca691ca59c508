package dev.kumo.apimachinery.store;

import java.util.Objects;

/**
 * Identifies one stored object: its resource (e.g. {@code pods}, {@code apps/deployments}), its namespace (empty
 * for cluster-scoped objects) and its name.
 */
public record ObjectKey(String resource, String namespace, String name) {

    public ObjectKey {
        Objects.requireNonNull(resource, "resource");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    public static ObjectKey cluster(String resource, String name) {
        return new ObjectKey(resource, "", name);
    }

    /** The sort key inside a resource: {@code namespace/name}, or {@code name} for cluster-scoped objects. */
    public String storageKey() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** Inverse of {@link #storageKey()}; names never contain '/', so the split is unambiguous. */
    public static ObjectKey fromStorageKey(String resource, String storageKey) {
        int slash = storageKey.indexOf('/');
        return slash < 0
                ? new ObjectKey(resource, "", storageKey)
                : new ObjectKey(resource, storageKey.substring(0, slash), storageKey.substring(slash + 1));
    }

    @Override
    public String toString() {
        return resource + ":" + storageKey();
    }
}
