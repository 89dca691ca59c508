package dev.kumo.apiserver.admission.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.resource.ResourceList;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apiserver.admission.AdmissionDenied;
import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.admission.AdmissionRequest;
import dev.kumo.apiserver.admission.NamespacedObjects;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.registry.WriteListener;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.strategy.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kubernetes' ResourceQuota admission, the last plugin: a create (and a service's update) in a namespace with
 * quotas is refused when it would take a quota's {@code status.used} past {@code status.hard}
 * ({@code exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2}), or when a quota limits cpu or
 * memory and a container does not ask for it. Otherwise the usage is charged to each quota before the object is
 * written, by a conditional update of the quota's status at the revision the decision was based on: a concurrent
 * charge makes it fail, and the quota is read again and the decision made again, so parallel creates never take a
 * quota past its limit. Usage comes back down by {@code QuotaUsageReconciler}, which counts what exists.
 */
public final class ResourceQuotaAdmission implements AdmissionPlugin, WriteListener {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceQuotaAdmission.class);
    /** Charges retried on conflicts: each round one of the competing writers wins, so this bounds the contenders. */
    static final int MAX_ATTEMPTS = 64;

    private final Store store;
    private final NamespacedObjects quotas;
    private final Clock clock;

    public ResourceQuotaAdmission(Store store, NamespacedObjects quotas, Clock clock) {
        this.store = store;
        this.quotas = quotas;
        this.clock = clock;
    }

    /** One quota's new usage if the request is admitted. */
    private record Charge(StoredObject quota, ResourceList used) {
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (!request.subresource().isEmpty() || request.namespace() == null || request.namespace().isEmpty()
                || request.resource().plural().equals("namespaces") || request.object() == null) {
            return;
        }
        ResourceDefinition def = request.resource();
        boolean serviceUpdate = request.operation() == AdmissionRequest.Operation.UPDATE && def.group().isEmpty()
                && def.plural().equals("services") && request.oldObject() != null;
        if (request.operation() != AdmissionRequest.Operation.CREATE && !serviceUpdate) {
            return;
        }
        List<StoredObject> pending = quotas.list(request.namespace());
        if (pending.isEmpty()) {
            return; // most namespaces have no quota: no usage to work out
        }
        ResourceList delta = QuotaUsage.usage(def, request.object(), clock);
        if (serviceUpdate) {
            delta = delta.subtractWithNonNegativeResult(QuotaUsage.usage(def, request.oldObject(), clock));
        }
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<Charge> charges = decide(request, pending, delta);
            if (charges.isEmpty() || request.dryRun()) {
                return;
            }
            pending = charge(charges);
            if (!pending.isEmpty() && attempt >= MAX_ATTEMPTS) {
                StoredObject contended = pending.get(0);
                throw ApiException.conflict("", "resourcequotas", contended.key().name(),
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            if (!pending.isEmpty()) {
                pause(attempt);
            }
        }
    }

    /** Kubernetes' {@code checkRequest}: refuses the request, or says what each affected quota's usage becomes. */
    private List<Charge> decide(AdmissionRequest request, List<StoredObject> candidates, ResourceList delta) {
        ResourceDefinition def = request.resource();
        List<StoredObject> interesting = new ArrayList<>();
        for (StoredObject quota : candidates) {
            JsonNode status = quota.value().path("status");
            ResourceList hard = ResourceList.fromJson(status.path("hard"));
            if (!QuotaUsage.matches(quota.value(), def, request.object(), hard.names())) {
                continue;
            }
            String name = quota.key().name();
            List<String> restricted = QuotaUsage.matchingResources(def, hard.names());
            String missing = QuotaUsage.missingRequests(def, request.object(), restricted);
            if (missing != null) {
                throw AdmissionDenied.of(request, "failed quota: " + name + ": " + missing);
            }
            if (!status.path("used").isObject() || restricted.stream().anyMatch(r -> !status.path("used").has(r))) {
                throw AdmissionDenied.of(request, "status unknown for quota: " + name + ", resources: "
                        + String.join(",", new java.util.TreeSet<>(restricted)));
            }
            interesting.add(quota);
        }
        if (interesting.isEmpty()) {
            return List.of();
        }
        List<String> negative = delta.negativeNames();
        if (!negative.isEmpty()) {
            throw AdmissionDenied.of(request, "quota usage is negative for resource(s): " + String.join(",", negative));
        }
        ResourceList nonZero = delta.removeZeros();
        if (nonZero.isEmpty()) {
            return List.of();
        }
        List<Charge> charges = new ArrayList<>();
        for (StoredObject quota : interesting) {
            ResourceList hard = ResourceList.fromJson(quota.value().path("status").path("hard"));
            ResourceList used = ResourceList.fromJson(quota.value().path("status").path("used"));
            ResourceList requested = nonZero.mask(hard.names());
            if (requested.isEmpty()) {
                continue;
            }
            ResourceList newUsed = used.add(requested);
            List<String> exceeded = newUsed.mask(requested.names()).exceeding(hard);
            if (!exceeded.isEmpty()) {
                throw AdmissionDenied.of(request, "exceeded quota: " + quota.key().name() + ", requested: "
                        + requested.mask(exceeded).prettyPrint() + ", used: " + used.mask(exceeded).prettyPrint()
                        + ", limited: " + hard.mask(exceeded).prettyPrint());
            }
            charges.add(new Charge(quota, newUsed));
        }
        return charges;
    }

    /** Writes each charge if its quota is unchanged; returns the quotas, read again, whose charge lost a race. */
    private List<StoredObject> charge(List<Charge> charges) {
        List<StoredObject> raced = new ArrayList<>();
        for (Charge charge : charges) {
            ObjectNode next = charge.quota().value().deepCopy();
            Json.object(next, "status").set("used", charge.used().toJson());
            try {
                quotas.replace(store.update(charge.quota().key(), next, charge.quota().revision()));
            } catch (StoreException.Conflict conflict) {
                Optional<StoredObject> current = store.get(charge.quota().key());
                current.ifPresent(raced::add);
                current.ifPresent(quotas::replace);
            } catch (StoreException.NotFound gone) {
                quotas.invalidate(charge.quota().key().namespace());
            }
        }
        if (!raced.isEmpty()) {
            LOG.atDebug().addKeyValue("namespace", raced.get(0).key().namespace())
                    .addKeyValue("quota", raced.get(0).key().name()).log("quota charge raced, deciding again");
        }
        return raced;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L + Math.min(attempt, 10) * 3L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while charging a quota", e);
        }
    }

    @Override
    public void created(ResourceDefinition def, ObjectNode object) {
        quotas.created(def, object);
    }

    @Override
    public void updated(ResourceDefinition def, ObjectNode object, ObjectNode old) {
        quotas.updated(def, object, old);
    }

    @Override
    public void deleted(ResourceDefinition def, ObjectNode object) {
        quotas.deleted(def, object);
    }
}
