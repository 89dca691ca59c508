package dev.kumo.controllers.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube's {@code namespaceConditionUpdater}: the five conditions the namespace deleter keeps on a terminating
 * namespace, with kube's types, reasons and messages. A condition that did not fail this time is set to its "ok"
 * variant (status False); {@link #applyTo} changes the status only where something differs, and moves
 * {@code lastTransitionTime} only when a status flips.
 */
final class NamespaceConditions {
    static final String DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure";
    static final String GROUP_VERSION_PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure";
    static final String CONTENT_FAILURE = "NamespaceDeletionContentFailure";
    static final String CONTENT_REMAINING = "NamespaceContentRemaining";
    static final String FINALIZERS_REMAINING = "NamespaceFinalizersRemaining";
    private static final List<String> TYPES = List.of(DISCOVERY_FAILURE, GROUP_VERSION_PARSING_FAILURE,
            CONTENT_FAILURE, CONTENT_REMAINING, FINALIZERS_REMAINING);
    private static final Map<String, String[]> OK = Map.of(
            DISCOVERY_FAILURE, new String[]{"ResourcesDiscovered", "All resources successfully discovered"},
            GROUP_VERSION_PARSING_FAILURE, new String[]{"ParsedGroupVersions",
                    "All legacy kube types successfully parsed"},
            CONTENT_FAILURE, new String[]{"ContentDeleted",
                    "All content successfully deleted, may be waiting on finalization"},
            CONTENT_REMAINING, new String[]{"ContentRemoved", "All content successfully removed"},
            FINALIZERS_REMAINING, new String[]{"ContentHasNoFinalizers",
                    "All content-preserving finalizers finished"});

    private record Failure(String reason, String message) {
    }

    private final Map<String, Failure> failures = new LinkedHashMap<>();
    private final List<String> deleteContentErrors = new ArrayList<>();

    /** {@code ProcessDiscoverResourcesErr}: the whole discovery failed, or some groups (then counted). */
    void discoveryFailed(String error, int failedGroups) {
        String message = failedGroups > 0
                ? "Discovery failed for some groups, " + failedGroups + " failing: " + error : error;
        failures.put(DISCOVERY_FAILURE, new Failure("DiscoveryFailed", message));
    }

    void groupVersionParsingFailed(String error) {
        failures.put(GROUP_VERSION_PARSING_FAILURE, new Failure("GroupVersionParsingFailed", error));
    }

    void deleteContentFailed(String error) {
        deleteContentErrors.add(error);
    }

    /**
     * {@code ProcessContentTotals}.
     *
     * @param remaining  {@code <resource>.<group>} → instances left
     * @param finalizers finalizer → instances left holding it
     */
    void contentTotals(Map<String, Integer> remaining, Map<String, Integer> finalizers) {
        List<String> resources = new ArrayList<>();
        remaining.forEach((resource, count) -> {
            if (count > 0) {
                resources.add(resource + " has " + count + " resource instances");
            }
        });
        if (!resources.isEmpty()) {
            resources.sort(String::compareTo);
            failures.put(CONTENT_REMAINING, new Failure("SomeResourcesRemain",
                    "Some resources are remaining: " + String.join(", ", resources)));
        }
        List<String> held = new ArrayList<>();
        finalizers.forEach((finalizer, count) -> {
            if (count > 0) {
                held.add(finalizer + " in " + count + " resource instances");
            }
        });
        if (!held.isEmpty()) {
            held.sort(String::compareTo);
            failures.put(FINALIZERS_REMAINING, new Failure("SomeFinalizersRemain",
                    "Some content in the namespace has finalizers remaining: " + String.join(", ", held)));
        }
    }

    /** Writes the conditions into {@code status}; true when anything changed. */
    boolean applyTo(ObjectNode status, Instant now) {
        if (!failures.containsKey(CONTENT_FAILURE) && !deleteContentErrors.isEmpty()) {
            List<String> sorted = deleteContentErrors.stream().sorted().toList();
            failures.put(CONTENT_FAILURE, new Failure("ContentDeletionFailed", "Failed to delete all resource "
                    + "types, " + sorted.size() + " remaining: " + String.join(", ", sorted)));
        }
        ArrayNode conditions = status.path("conditions") instanceof ArrayNode existing ? existing
                : status.putArray("conditions");
        boolean changed = false;
        for (String type : TYPES) {
            Failure failure = failures.get(type);
            String wantedStatus = failure == null ? "False" : "True";
            String reason = failure == null ? OK.get(type)[0] : failure.reason();
            String message = failure == null ? OK.get(type)[1] : failure.message();
            ObjectNode condition = find(conditions, type);
            if (condition == null) {
                conditions.addObject().put("type", type).put("status", wantedStatus)
                        .put("lastTransitionTime", now.toString()).put("reason", reason).put("message", message);
                changed = true;
            } else if (!condition.path("status").asText().equals(wantedStatus)
                    || !condition.path("reason").asText().equals(reason)
                    || !condition.path("message").asText().equals(message)) {
                if (!condition.path("status").asText().equals(wantedStatus)) {
                    condition.put("lastTransitionTime", now.toString());
                }
                condition.put("status", wantedStatus).put("reason", reason).put("message", message);
                changed = true;
            }
        }
        return changed;
    }

    private static ObjectNode find(ArrayNode conditions, String type) {
        for (JsonNode condition : conditions) {
            if (condition.path("type").asText().equals(type) && condition instanceof ObjectNode node) {
                return node;
            }
        }
        return null;
    }
}
