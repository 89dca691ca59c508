package dev.kumo.controllers.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.apimachinery.store.ObjectKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * kube's namespace deleter ({@code namespacedResourcesDeleter.Delete}) for one namespace key: a namespace with a
 * deletionTimestamp goes to phase Terminating; every namespaced resource the API serves (from discovery) is
 * emptied in it, pods first (kube's ordered namespace deletion: nothing else goes while pods remain, so their
 * network policies and secrets outlive them), by deletecollection where supported, else one by one, with
 * background propagation; the NamespaceDeletion* conditions say how it went; while content remains (pods in their
 * grace period, objects held by finalizers) the key is looked at again after half the estimate plus a second; when
 * nothing is left, the {@code kubernetes} finalizer is removed through {@code namespaces/NAME/finalize}, and the
 * API deletes the namespace once no finalizer remains.
 */
public final class NamespacedResourcesDeleter implements Reconciler {
    public static final String FINALIZER = "kubernetes";
    /** kube's {@code finalizerEstimateSeconds}: the wait assumed for objects held by finalizers. */
    static final long FINALIZER_ESTIMATE_SECONDS = 15;
    /** How soon a namespace whose content could not all be deleted is tried again. */
    static final Duration RETRY_AFTER_ERRORS = Duration.ofSeconds(15);
    private static final ResourceType PODS = ResourceType.PODS;
    private static final Logger LOG = LoggerFactory.getLogger(NamespacedResourcesDeleter.class);

    private final KubeClient client;
    private final Clock clock;
    private final ApiDiscovery discovery;

    public NamespacedResourcesDeleter(KubeClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.discovery = new ApiDiscovery(client);
    }

    @Override
    public Result reconcile(ObjectKey key) {
        String name = key.name();
        Optional<ObjectNode> found = client.get(ResourceType.NAMESPACES, "", name);
        if (found.isEmpty() || !Meta.isBeingDeleted(found.get())) {
            return Result.DONE;
        }
        ObjectNode namespace = found.get();
        if (!"Terminating".equals(namespace.path("status").path("phase").asText())) {
            ObjectNode terminating = namespace.deepCopy();
            (terminating.path("status") instanceof ObjectNode status ? status : terminating.putObject("status"))
                    .put("phase", "Terminating");
            try {
                namespace = client.updateStatus(ResourceType.NAMESPACES, terminating);
            } catch (ApiError e) {
                if (e.isNotFound()) {
                    return Result.DONE;
                }
                throw e;
            }
        }
        if (namespace.path("spec").path("finalizers").isEmpty()) {
            return Result.DONE; // finalized: the API removes it once its metadata finalizers are gone
        }
        Content content = deleteAllContent(namespace);
        if (!content.errors().isEmpty()) {
            LOG.atWarn().addKeyValue("namespace", name).addKeyValue("errors", content.errors())
                    .log("could not delete all content of the namespace; trying again");
            return Result.requeueAfter(RETRY_AFTER_ERRORS);
        }
        if (content.estimateSeconds() > 0) {
            long wait = content.estimateSeconds() / 2 + 1;
            LOG.atInfo().addKeyValue("namespace", name).addKeyValue("waitSeconds", wait)
                    .log("content remaining in namespace");
            return Result.requeueAfter(Duration.ofSeconds(wait));
        }
        return finalizeNamespace(namespace);
    }

    /** What one pass over the content left: the longest wait to expect, and the errors. */
    private record Content(long estimateSeconds, List<String> errors) {
    }

    /** What one resource left in the namespace. */
    private record Remaining(long estimateSeconds, int count, Map<String, Integer> finalizers) {
        static final Remaining NONE = new Remaining(0, 0, Map.of());
    }

    private Content deleteAllContent(ObjectNode namespace) {
        String name = Meta.name(namespace);
        Instant deletedAt = Instant.parse(namespace.path("metadata").path("deletionTimestamp").asText());
        NamespaceConditions conditions = new NamespaceConditions();
        List<String> errors = new ArrayList<>();
        ApiDiscovery.Result discovered = discovery.namespacedDeletableResources();
        if (!discovered.failure().isEmpty()) {
            errors.add(discovered.failure());
            conditions.discoveryFailed(discovered.failure(), discovered.failedGroups().size());
        }
        if (!discovered.parseError().isEmpty()) {
            errors.add(discovered.parseError());
            conditions.groupVersionParsingFailed(discovered.parseError());
        }
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        long estimate = 0;
        List<ApiDiscovery.Resource> resources = new ArrayList<>(discovered.resources());
        ApiDiscovery.Resource pods = resources.stream().filter(NamespacedResourcesDeleter::isPods).findFirst()
                .orElse(null);
        if (pods != null) {
            resources.remove(pods);
            resources.addFirst(pods);
        }
        for (ApiDiscovery.Resource resource : resources) {
            Remaining left;
            try {
                left = deleteAllOf(resource, name, deletedAt);
            } catch (ApiError | ContentRemains e) {
                errors.add(e.getMessage());
                conditions.deleteContentFailed(e.getMessage());
                left = e instanceof ContentRemains remains ? remains.remaining : Remaining.NONE;
            }
            estimate = Math.max(estimate, left.estimateSeconds());
            if (left.count() > 0) {
                remaining.put(resource.label(), left.count());
                left.finalizers().forEach((finalizer, count) -> finalizers.merge(finalizer, count, Integer::sum));
            }
            if (resource == pods && left.count() > 0) {
                break; // pods first: the rest waits until they are gone
            }
        }
        conditions.contentTotals(remaining, finalizers);
        ObjectNode updated = namespace.deepCopy();
        ObjectNode status = updated.path("status") instanceof ObjectNode s ? s : updated.putObject("status");
        if (conditions.applyTo(status, clock.instant())) {
            try {
                client.updateStatus(ResourceType.NAMESPACES, updated);
            } catch (ApiError e) {
                // kube only logs this: the conditions are a report, the deletion goes on
                LOG.atWarn().setCause(e).addKeyValue("namespace", name)
                        .log("couldn't update status condition for namespace");
            }
        }
        return new Content(estimate, errors);
    }

    /** Content that should have gone but did not, with nothing (grace, finalizer) to explain why. */
    private static final class ContentRemains extends RuntimeException {
        private final transient Remaining remaining;

        ContentRemains(String message, Remaining remaining) {
            super(message);
            this.remaining = remaining;
        }
    }

    /** kube's {@code deleteAllContentForGroupVersionResource}. */
    private Remaining deleteAllOf(ApiDiscovery.Resource resource, String namespace, Instant deletedAt) {
        long estimate = isPods(resource) ? podsEstimate(namespace, deletedAt) : 0;
        ObjectNode background = client.mapper().createObjectNode().put("apiVersion", "v1")
                .put("kind", "DeleteOptions").put("propagationPolicy", "Background");
        if ((!resource.deleteCollection() || !deleteCollection(resource, namespace, background))
                && resource.list()) {
            for (ObjectNode item : client.list(resource.type(), namespace, "", "")) {
                deleteIgnoringGone(resource.type(), namespace, Meta.name(item), background);
            }
        }
        if (!resource.list()) {
            return new Remaining(estimate, 0, Map.of());
        }
        List<ObjectNode> left = client.list(resource.type(), namespace, "", "");
        if (left.isEmpty()) {
            return Remaining.NONE;
        }
        Map<String, Integer> finalizers = new TreeMap<>();
        for (ObjectNode item : left) {
            item.path("metadata").path("finalizers").forEach(f -> finalizers.merge(f.asText(), 1, Integer::sum));
        }
        if (estimate != 0) {
            return new Remaining(estimate, left.size(), finalizers);
        }
        if (!finalizers.isEmpty()) {
            return new Remaining(FINALIZER_ESTIMATE_SECONDS, left.size(), finalizers);
        }
        throw new ContentRemains("unexpected items still remain in namespace: " + namespace + " for gvr: "
                + resource.gvr(), new Remaining(0, left.size(), Map.of()));
    }

    private static boolean isPods(ApiDiscovery.Resource resource) {
        return resource.type().group().isEmpty() && resource.type().plural().equals(PODS.plural());
    }

    /** True when the API took the deletecollection; false when the resource turned out not to support it. */
    private boolean deleteCollection(ApiDiscovery.Resource resource, String namespace, ObjectNode options) {
        try {
            client.deleteCollection(resource.type(), namespace, options);
            return true;
        } catch (ApiError e) {
            if (e.code() == 405 || e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    /** kube's {@code deleteEachItem} step: gone already (the client's false) or not deletable (405) is fine. */
    private void deleteIgnoringGone(ResourceType type, String namespace, String name, ObjectNode options) {
        try {
            client.delete(type, namespace, name, options);
        } catch (ApiError e) {
            if (e.code() != 405) {
                throw e;
            }
        }
    }

    /**
     * kube's {@code estimateGracefulTerminationForPods}: the longest grace period of the pods not finished, or 0
     * once that long has passed since the namespace's deletion began.
     */
    private long podsEstimate(String namespace, Instant deletedAt) {
        long estimate = 0;
        for (ObjectNode pod : client.list(PODS, namespace, "", "")) {
            String phase = pod.path("status").path("phase").asText("");
            if (phase.equals("Succeeded") || phase.equals("Failed")) {
                continue;
            }
            JsonNode grace = pod.path("spec").path("terminationGracePeriodSeconds");
            if (grace.isNumber()) {
                estimate = Math.max(estimate, grace.asLong());
            }
        }
        return Duration.between(deletedAt, clock.instant()).getSeconds() >= estimate ? 0 : estimate;
    }

    /** Removes this controller's finalizer; the API deletes the namespace when none is left. */
    private Result finalizeNamespace(ObjectNode namespace) {
        ObjectNode finalize = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        finalize.set("metadata", namespace.path("metadata").deepCopy());
        TreeSet<String> others = new TreeSet<>();
        namespace.path("spec").path("finalizers").forEach(f -> {
            if (!f.asText().equals(FINALIZER)) {
                others.add(f.asText());
            }
        });
        var array = finalize.putObject("spec").putArray("finalizers");
        others.forEach(array::add);
        try {
            client.updateSubresource(ResourceType.NAMESPACES, finalize, "finalize");
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return Result.DONE; // finalized and deleted by another run meanwhile
            }
            throw e;
        }
        LOG.atInfo().addKeyValue("namespace", Meta.name(namespace)).addKeyValue("otherFinalizers", others)
                .log("namespace content removed; namespace finalized");
        return Result.DONE;
    }
}
