package dev.kumo.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apiserver.registry.WriteListener;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects of one resource in a namespace, as admission plugins read them (LimitRanges, ResourceQuotas): kept
 * for {@link #CACHE_FOR} per namespace, the way kube-apiserver's plugins read an informer cache instead of the
 * store, and dropped at once when this process writes one of them. Another process's writes show after at most
 * {@link #CACHE_FOR}, like an informer's lag; a list is four store calls, which every pod create would otherwise pay.
 */
public final class NamespacedObjects implements WriteListener {
    public static final Duration CACHE_FOR = Duration.ofSeconds(2);

    private final Store store;
    private final String resource;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    private record Entry(List<StoredObject> items, long untilMillis) {
    }

    public NamespacedObjects(Store store, String resource, Clock clock) {
        this.store = store;
        this.resource = resource;
        this.clock = clock;
    }

    public List<StoredObject> list(String namespace) {
        long now = clock.millis();
        Entry entry = cache.get(namespace);
        if (entry != null && entry.untilMillis() > now) {
            return entry.items();
        }
        List<StoredObject> items = store.list(resource, ListOptions.all(namespace)).items(); // no limit: all pages
        if (cache.size() > 10_000) {
            cache.values().removeIf(e -> e.untilMillis() <= now);
        }
        cache.put(namespace, new Entry(List.copyOf(items), now + CACHE_FOR.toMillis()));
        return items;
    }

    /** Replaces one cached object by the version this process just wrote. */
    public void replace(StoredObject written) {
        cache.computeIfPresent(written.key().namespace(), (namespace, entry) -> new Entry(entry.items().stream()
                .map(item -> item.key().equals(written.key()) ? written : item).toList(), entry.untilMillis()));
    }

    public void invalidate(String namespace) {
        cache.remove(namespace);
    }

    private void changed(ResourceDefinition def, ObjectNode object) {
        if (def.storageResource().equals(resource)) {
            invalidate(object.path("metadata").path("namespace").asText(""));
        }
    }

    @Override
    public void created(ResourceDefinition def, ObjectNode object) {
        changed(def, object);
    }

    @Override
    public void updated(ResourceDefinition def, ObjectNode object, ObjectNode old) {
        changed(def, object);
    }

    @Override
    public void deleted(ResourceDefinition def, ObjectNode object) {
        changed(def, object);
    }
}
