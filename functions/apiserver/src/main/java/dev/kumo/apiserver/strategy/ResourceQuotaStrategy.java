package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.errors.FieldError;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ResourceQuotas: the status belongs to the quota system (reset on create, kept on update), quantities are served in
 * canonical form, and Kubernetes' {@code ValidateResourceQuota} rules: resource names a quota may limit,
 * non-negative quantities, whole numbers for object counts, and supported, non-conflicting scopes.
 */
public final class ResourceQuotaStrategy implements Strategy {
    static final Set<String> SCOPES = Set.of("Terminating", "NotTerminating", "BestEffort", "NotBestEffort",
            "PriorityClass", "CrossNamespacePodAffinity");
    /** The resources a BestEffort quota may limit: only the pod count (such pods ask for no cpu or memory). */
    private static final Set<String> BEST_EFFORT_RESOURCES = Set.of("pods");
    private static final Set<String> POD_RESOURCES = Set.of("pods", "cpu", "memory", "limits.cpu", "limits.memory",
            "requests.cpu", "requests.memory");

    @Override
    public void prepareForCreate(ObjectNode quota) {
        quota.remove("status");
        canonicalize(quota);
    }

    @Override
    public void prepareForUpdate(ObjectNode quota, ObjectNode old) {
        canonicalize(quota);
    }

    private static void canonicalize(ObjectNode quota) {
        ResourceQuantities.canonicalize(quota.path("spec").path("hard"));
        ResourceQuantities.canonicalize(quota.path("status").path("hard"));
        ResourceQuantities.canonicalize(quota.path("status").path("used"));
    }

    @Override
    public List<FieldError> validate(ObjectNode quota) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = quota.path("spec");
        validateList(spec.path("hard"), "spec.hard", errors);
        validateList(quota.path("status").path("hard"), "status.hard", errors);
        validateList(quota.path("status").path("used"), "status.used", errors);
        validateScopes(spec, errors);
        return errors;
    }

    private static void validateList(JsonNode list, String path, List<FieldError> errors) {
        list.fieldNames().forEachRemaining(name ->
                ResourceQuantities.validateQuotaResourceName(name, path + "[" + name + "]", errors));
        ResourceQuantities.validateValues(list, path, errors);
    }

    private static void validateScopes(JsonNode spec, List<FieldError> errors) {
        JsonNode scopes = spec.path("scopes");
        if (scopes.isEmpty()) {
            return;
        }
        String shown = scopes.toString();
        Set<String> seen = new HashSet<>();
        for (JsonNode scope : scopes) {
            String name = scope.asText("");
            if (!SCOPES.contains(name)) {
                errors.add(FieldError.invalid("spec.scopes", shown, "unsupported scope"));
            }
            Set<String> valid = name.equals("BestEffort") ? BEST_EFFORT_RESOURCES : POD_RESOURCES;
            spec.path("hard").fieldNames().forEachRemaining(resource -> {
                if (ResourceQuantities.QUOTA_RESOURCES.contains(resource) && !valid.contains(resource)) {
                    errors.add(FieldError.invalid("spec.scopes", shown, "unsupported scope applied to resource"));
                }
            });
            seen.add(name);
        }
        if (seen.containsAll(List.of("BestEffort", "NotBestEffort"))
                || seen.containsAll(List.of("Terminating", "NotTerminating"))) {
            errors.add(FieldError.invalid("spec.scopes", shown, "conflicting scopes"));
        }
    }
}
