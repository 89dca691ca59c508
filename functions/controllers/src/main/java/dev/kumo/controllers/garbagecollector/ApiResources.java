package dev.kumo.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resources the collector works with, read from the API's discovery documents as kube-controller-manager's
 * garbage collector does ({@code GetDeletableResources}): every preferred-version resource that supports delete,
 * list and watch, less the ignored ones (events, as kube-controller-manager's default). It also maps an owner
 * reference's kind to its resource (the REST mapper's job). One read costs {@code /api/v1}, {@code /apis} and one
 * request per group; it is kept for a few minutes per process, and read again at once (at most every
 * {@link #UNKNOWN_KIND_REFRESH}) when a reference names a kind not seen yet, e.g. a resource added since.
 */
final class ApiResources {
    private static final Logger LOG = LoggerFactory.getLogger(ApiResources.class);
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final Duration UNKNOWN_KIND_REFRESH = Duration.ofSeconds(30);
    /** kube-controller-manager's {@code DefaultIgnoredResources}: group/resource. */
    static final Set<String> IGNORED = Set.of("events", "events.k8s.io/events");

    /** A resource with the kind it serves. */
    record Resource(ResourceType type, String kind) {
    }

    private record Snapshot(Instant readAt, Map<String, Resource> byKind, Map<String, Resource> byStorage,
                            List<ResourceType> collectable) {
    }

    private final KubeClient client;
    private final Clock clock;
    private volatile Snapshot snapshot;

    ApiResources(KubeClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The resource serving {@code kind} in the group of {@code apiVersion}, if the API serves it. */
    Optional<Resource> forKind(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String key = (slash < 0 ? "" : apiVersion.substring(0, slash)) + "/" + kind;
        Resource found = current().byKind().get(key);
        if (found == null) {
            found = readIfOlderThan(UNKNOWN_KIND_REFRESH).byKind().get(key);
        }
        return Optional.ofNullable(found);
    }

    /** The resource whose store key is {@code storageResource} ({@code pods}, {@code apps/replicasets}). */
    Optional<Resource> forStorageResource(String storageResource) {
        return Optional.ofNullable(current().byStorage().get(storageResource));
    }

    /** The resources whose objects may be dependents: deletable, listable, watchable, not ignored. */
    List<ResourceType> collectable() {
        return current().collectable();
    }

    private Snapshot current() {
        Snapshot current = snapshot;
        return olderThan(current, MAX_AGE) ? readIfOlderThan(MAX_AGE) : current;
    }

    private boolean olderThan(Snapshot current, Duration age) {
        return current == null || Duration.between(current.readAt(), clock.instant()).compareTo(age) > 0;
    }

    /**
     * The snapshot, read again if it is older than {@code age}. Checked again under the lock: the reconciles that
     * found it stale together (16 at a time) wait for one read and share it, instead of reading one after another.
     */
    private synchronized Snapshot readIfOlderThan(Duration age) {
        Snapshot current = snapshot;
        if (!olderThan(current, age)) {
            return current;
        }
        Map<String, Resource> byKind = new HashMap<>();
        Map<String, Resource> byStorage = new HashMap<>();
        List<ResourceType> collectable = new ArrayList<>();
        List<String> groupVersions = new ArrayList<>();
        groupVersions.add("v1");
        for (JsonNode group : client.getPath("/apis").path("groups")) {
            groupVersions.add(group.path("preferredVersion").path("groupVersion").asText());
        }
        for (String groupVersion : groupVersions) {
            String path = groupVersion.equals("v1") ? "/api/v1" : "/apis/" + groupVersion;
            int slash = groupVersion.indexOf('/');
            String group = slash < 0 ? "" : groupVersion.substring(0, slash);
            String version = slash < 0 ? groupVersion : groupVersion.substring(slash + 1);
            for (JsonNode resource : client.getPath(path).path("resources")) {
                String plural = resource.path("name").asText();
                if (plural.contains("/")) {
                    continue; // a subresource
                }
                ResourceType type = new ResourceType(group, version, plural, resource.path("namespaced").asBoolean());
                Resource entry = new Resource(type, resource.path("kind").asText());
                byKind.putIfAbsent(group + "/" + entry.kind(), entry);
                byStorage.putIfAbsent(type.storageResource(), entry);
                List<String> verbs = new ArrayList<>();
                resource.path("verbs").forEach(verb -> verbs.add(verb.asText()));
                if (verbs.containsAll(List.of("delete", "list", "watch"))
                        && !IGNORED.contains(type.storageResource())) {
                    collectable.add(type);
                }
            }
        }
        Snapshot fresh = new Snapshot(clock.instant(), Map.copyOf(byKind), Map.copyOf(byStorage),
                List.copyOf(collectable));
        LOG.atDebug().addKeyValue("resources", collectable.size()).log("read the API's resources");
        snapshot = fresh;
        return fresh;
    }
}
