package dev.kumo.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.apimachinery.resource.ResourceList;
import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apiserver.admission.NamespacedObjects;
import dev.kumo.apiserver.admission.resourcequota.QuotaUsage;
import dev.kumo.apiserver.registry.WriteListener;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.resources.ResourceRegistry;
import dev.kumo.apiserver.strategy.Json;
import dev.kumo.apiserver.strategy.PodStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes' resource-quota controller, keyed by namespace: each quota's {@code status.hard} becomes its
 * {@code spec.hard} and {@code status.used} what the namespace's objects use now (the pods that have not finished,
 * the objects of each counted kind). It runs when a quota is created or changed, after an object a quota counts is
 * deleted or a pod finishes, and after a create that admission charged for failed, so that usage comes back down;
 * the control-loop functions will also run it periodically, which repairs a charge lost to a race with a
 * concurrent create (between a charge and the pod's write) or to a crash.
 */
public final class QuotaUsageReconciler implements Reconciler, WriteListener {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaUsageReconciler.class);
    private static final int MAX_ATTEMPTS = 16;

    private final Store store;
    private final ResourceRegistry resources;
    private final Clock clock;
    private final NamespacedObjects quotas;
    private final ResourceDefinition quotaDefinition;
    private final WriteListener usageWritten;

    /**
     * @param usageWritten told of each quota status written here: the write goes to the store, not through the
     *                     registry, so this is how caches of quotas (ResourceQuota admission's) learn that the
     *                     usage came down
     */
    public QuotaUsageReconciler(Store store, ResourceRegistry resources, Clock clock, WriteListener usageWritten) {
        this.store = store;
        this.resources = resources;
        this.clock = clock;
        this.quotas = new NamespacedObjects(store, "resourcequotas", clock);
        this.quotaDefinition = resources.find("", "v1", "resourcequotas").orElseThrow();
        this.usageWritten = usageWritten;
    }

    @Override
    public void reconcile(String namespace) {
        for (StoredObject quota : list("resourcequotas", namespace)) {
            sync(quota);
        }
    }

    private void sync(StoredObject quota) {
        StoredObject current = quota;
        for (int attempt = 1; ; attempt++) {
            ObjectNode next = withUsage(current.value());
            if (next == null) {
                return;
            }
            try {
                store.update(current.key(), next, current.revision());
                usageWritten.updated(quotaDefinition, next, current.value());
                LOG.atInfo().addKeyValue("namespace", current.key().namespace())
                        .addKeyValue("quota", current.key().name())
                        .addKeyValue("used", next.path("status").path("used").toString()).log("quota usage updated");
                return;
            } catch (StoreException.NotFound gone) {
                return;
            } catch (StoreException.Conflict conflict) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw conflict;
                }
                Optional<StoredObject> reread = store.get(current.key());
                if (reread.isEmpty()) {
                    return;
                }
                current = reread.get();
            }
        }
    }

    /** The quota with its status recomputed, or null when the status is already right. */
    private ObjectNode withUsage(ObjectNode quota) {
        ResourceList hard = ResourceList.fromJson(quota.path("spec").path("hard"));
        ResourceList previous = ResourceList.fromJson(quota.path("status").path("used"));
        Map<ResourceDefinition, List<String>> counted = countedKinds(hard.names());
        ResourceList used = previous;
        for (Map.Entry<ResourceDefinition, List<String>> kind : counted.entrySet()) {
            ResourceList sum = ResourceList.EMPTY;
            for (String name : kind.getValue()) {
                sum = sum.with(name, Quantity.ZERO);
            }
            for (StoredObject object : list(kind.getKey().storageResource(), Meta.namespace(quota))) {
                if (QuotaUsage.matches(quota, kind.getKey(), object.value(), kind.getValue())) {
                    sum = sum.add(QuotaUsage.usage(kind.getKey(), object.value(), clock).mask(kind.getValue()));
                }
            }
            for (String name : kind.getValue()) {
                used = used.with(name, sum.get(name));
            }
        }
        used = used.mask(hard.names());
        JsonNode status = quota.path("status");
        if (status.path("hard").isObject() && ResourceList.fromJson(status.path("hard")).equals(hard)
                && status.path("used").isObject() && previous.equals(used)) {
            return null;
        }
        ObjectNode next = quota.deepCopy();
        ObjectNode nextStatus = Json.object(next, "status");
        nextStatus.set("hard", hard.toJson());
        nextStatus.set("used", used.toJson());
        return next;
    }

    /** For each served kind a quota name counts, the names it counts. */
    private Map<ResourceDefinition, List<String>> countedKinds(java.util.Collection<String> names) {
        Map<String, ResourceDefinition> byStorage = new LinkedHashMap<>();
        for (ResourceDefinition def : resources.all()) {
            if (def.namespaced()) {
                byStorage.putIfAbsent(def.storageResource() + "|" + QuotaUsage.countName(def), def);
            }
        }
        Map<ResourceDefinition, List<String>> counted = new HashMap<>();
        for (ResourceDefinition def : byStorage.values()) {
            List<String> matching = QuotaUsage.matchingResources(def, names);
            if (!matching.isEmpty()) {
                counted.computeIfAbsent(def, d -> new ArrayList<>()).addAll(matching);
            }
        }
        return counted;
    }

    private List<StoredObject> list(String resource, String namespace) {
        return store.list(resource, ListOptions.all(namespace)).items(); // no limit: the store reads every page
    }

    /** Whether a quota in the object's namespace counts objects of this kind. */
    private boolean counted(ResourceDefinition def, ObjectNode object) {
        String namespace = Meta.namespace(object);
        if (!def.namespaced() || namespace.isEmpty()) {
            return false;
        }
        for (StoredObject quota : quotas.list(namespace)) {
            ResourceList hard = ResourceList.fromJson(quota.value().path("spec").path("hard"));
            if (!QuotaUsage.matchingResources(def, hard.names()).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isQuota(ResourceDefinition def) {
        return def.group().isEmpty() && def.plural().equals("resourcequotas");
    }

    @Override
    public void created(ResourceDefinition def, ObjectNode object) {
        quotas.created(def, object);
        if (isQuota(def)) {
            reconcile(Meta.namespace(object));
        }
    }

    @Override
    public void updated(ResourceDefinition def, ObjectNode object, ObjectNode old) {
        quotas.updated(def, object, old);
        boolean finished = def.group().isEmpty() && def.plural().equals("pods")
                && !PodStrategy.isTerminal(old) && PodStrategy.isTerminal(object);
        if (isQuota(def) || finished && counted(def, object)) {
            reconcile(Meta.namespace(object));
        }
    }

    @Override
    public void deleted(ResourceDefinition def, ObjectNode object) {
        quotas.deleted(def, object);
        if (!isQuota(def) && counted(def, object)) {
            reconcile(Meta.namespace(object));
        }
    }

    @Override
    public void createFailed(ResourceDefinition def, ObjectNode object) {
        if (counted(def, object)) {
            reconcile(Meta.namespace(object));
        }
    }
}
