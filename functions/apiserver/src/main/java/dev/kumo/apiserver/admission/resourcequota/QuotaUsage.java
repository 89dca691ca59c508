package dev.kumo.apiserver.admission.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.resource.PodResources;
import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.apimachinery.resource.ResourceList;
import dev.kumo.apimachinery.resource.ResourceNames;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.strategy.PodStrategy;
import dev.kumo.apiserver.strategy.QualityOfService;
import dev.kumo.apiserver.strategy.ResourceQuantities;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an object counts against a quota (Kubernetes' quota evaluators): every namespaced kind its
 * {@code count/<resource>[.<group>]}, core kinds also their legacy names ({@code configmaps}, {@code secrets},
 * {@code services}, ...), services their node ports and load balancers, and pods that have not finished their
 * {@code pods}, cpu, memory and ephemeral-storage requests and limits.
 */
public final class QuotaUsage {
    static final Set<String> LEGACY_COUNTS = Set.of("configmaps", "secrets", "services", "resourcequotas",
            "replicationcontrollers", "persistentvolumeclaims");
    static final Set<String> POD_RESOURCES = Set.of("count/pods", "pods", "cpu", "memory", "ephemeral-storage",
            "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
            "limits.ephemeral-storage");
    /** Resources every container must ask for when a quota limits them (a rule Kubernetes keeps for compatibility). */
    static final Set<String> REQUIRED_PER_CONTAINER = Set.of("cpu", "memory", "requests.cpu", "requests.memory",
            "limits.cpu", "limits.memory");
    private static final Quantity ONE = Quantity.of(1, Quantity.Format.DECIMAL_SI);

    private QuotaUsage() {
    }

    public static String countName(ResourceDefinition def) {
        return "count/" + def.plural() + (def.group().isEmpty() ? "" : "." + def.group());
    }

    private static boolean isPods(ResourceDefinition def) {
        return def.group().isEmpty() && def.plural().equals("pods");
    }

    /** The object's usage. */
    public static ResourceList usage(ResourceDefinition def, JsonNode object, Clock clock) {
        Map<String, Quantity> usage = new TreeMap<>();
        usage.put(countName(def), ONE);
        if (def.group().isEmpty() && LEGACY_COUNTS.contains(def.plural())) {
            usage.put(def.plural(), ONE);
        }
        if (def.group().isEmpty() && def.plural().equals("services")) {
            String type = object.path("spec").path("type").asText("ClusterIP");
            int ports = object.path("spec").path("ports").size();
            boolean allocates = !object.path("spec").path("allocateLoadBalancerNodePorts").isBoolean()
                    || object.path("spec").path("allocateLoadBalancerNodePorts").asBoolean();
            usage.put("services.loadbalancers", Quantity.of(type.equals("LoadBalancer") ? 1 : 0,
                    Quantity.Format.DECIMAL_SI));
            usage.put("services.nodeports", Quantity.of(type.equals("NodePort")
                    || type.equals("LoadBalancer") && allocates ? ports : 0, Quantity.Format.DECIMAL_SI));
        }
        ResourceList result = ResourceList.of(usage);
        if (isPods(def) && chargedForCompute(object, clock)) {
            JsonNode spec = object.path("spec");
            result = result.add(computeUsage(PodResources.requests(spec, true), PodResources.limits(spec, true)));
        }
        return result;
    }

    /** Kubernetes' {@code QuotaV1Pod}: finished pods, and pods past their deletion grace period, use no compute. */
    static boolean chargedForCompute(JsonNode pod, Clock clock) {
        if (PodStrategy.isTerminal(pod)) {
            return false;
        }
        JsonNode metadata = pod.path("metadata");
        if (metadata.hasNonNull("deletionTimestamp") && metadata.path("deletionGracePeriodSeconds").isNumber()) {
            try {
                Instant deletion = Instant.parse(metadata.path("deletionTimestamp").asText());
                long grace = metadata.path("deletionGracePeriodSeconds").asLong();
                return !clock.instant().isAfter(deletion.plusSeconds(grace));
            } catch (DateTimeParseException e) {
                return true;
            }
        }
        return true;
    }

    /** Kubernetes' {@code podComputeUsageHelper}. */
    static ResourceList computeUsage(ResourceList requests, ResourceList limits) {
        Map<String, Quantity> usage = new TreeMap<>();
        usage.put("pods", ONE);
        for (String resource : List.of("cpu", "memory", "ephemeral-storage")) {
            if (requests.has(resource)) {
                usage.put(resource, requests.get(resource));
                usage.put("requests." + resource, requests.get(resource));
            }
            if (limits.has(resource)) {
                usage.put("limits." + resource, limits.get(resource));
            }
        }
        requests.asMap().forEach((name, quantity) -> {
            if (name.startsWith("hugepages-")) {
                usage.put(name, quantity);
                usage.put("requests." + name, quantity);
            } else if (ResourceNames.isExtended(name)) {
                usage.put("requests." + name, quantity);
            }
        });
        return ResourceList.of(usage);
    }

    /** The names among {@code names} that this kind's usage counts (Kubernetes' {@code MatchingResources}). */
    public static List<String> matchingResources(ResourceDefinition def, Collection<String> names) {
        List<String> matching = new ArrayList<>();
        for (String name : names) {
            boolean matches;
            if (isPods(def)) {
                matches = POD_RESOURCES.contains(name) || name.startsWith("hugepages-")
                        || name.startsWith("requests.hugepages-")
                        || name.startsWith("requests.")
                        && ResourceNames.isExtended(name.substring("requests.".length()));
            } else {
                matches = name.equals(countName(def))
                        || def.group().isEmpty() && LEGACY_COUNTS.contains(def.plural()) && name.equals(def.plural())
                        || def.group().isEmpty() && def.plural().equals("services")
                        && (name.equals("services.loadbalancers") || name.equals("services.nodeports"));
            }
            if (matches) {
                matching.add(name);
            }
        }
        return matching;
    }

    /** Whether a quota applies to the object: it limits something the object uses, and its scopes select it. */
    public static boolean matches(JsonNode quota, ResourceDefinition def, JsonNode object, Collection<String> hard) {
        if (matchingResources(def, hard).isEmpty()) {
            return false;
        }
        for (JsonNode scope : quota.path("spec").path("scopes")) {
            if (!matchesScope(def, object, scope.asText(""), "Exists", List.of())) {
                return false;
            }
        }
        for (JsonNode expression : quota.path("spec").path("scopeSelector").path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            if (!matchesScope(def, object, expression.path("scopeName").asText(""),
                    expression.path("operator").asText(""), values)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesScope(ResourceDefinition def, JsonNode pod, String scope, String operator,
                                        List<String> values) {
        if (!isPods(def)) {
            return false;
        }
        JsonNode spec = pod.path("spec");
        boolean terminating = spec.path("activeDeadlineSeconds").isNumber()
                && spec.path("activeDeadlineSeconds").asLong() >= 0;
        boolean bestEffort = QualityOfService.of(spec).equals("BestEffort");
        return switch (scope) {
            case "Terminating" -> terminating;
            case "NotTerminating" -> !terminating;
            case "BestEffort" -> bestEffort;
            case "NotBestEffort" -> !bestEffort;
            case "PriorityClass" -> {
                String priorityClass = spec.path("priorityClassName").asText("");
                yield switch (operator) {
                    case "Exists" -> !priorityClass.isEmpty();
                    case "DoesNotExist" -> priorityClass.isEmpty();
                    case "In" -> values.contains(priorityClass);
                    case "NotIn" -> !values.contains(priorityClass);
                    default -> false;
                };
            }
            default -> false;
        };
    }

    /**
     * Kubernetes' pod {@code Constraints}: when a quota limits cpu or memory, every container must ask for it. The
     * message names each missing resource with the containers lacking it, or null when nothing is missing.
     */
    public static String missingRequests(ResourceDefinition def, JsonNode pod, Collection<String> restricted) {
        if (!isPods(def)) {
            return null;
        }
        Set<String> required = new TreeSet<>(restricted);
        required.retainAll(REQUIRED_PER_CONTAINER);
        Map<String, Set<String>> missing = new TreeMap<>();
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : pod.path("spec").path(list)) {
                ResourceList has = computeUsage(PodResources.of(container, "requests"),
                        PodResources.of(container, "limits"));
                for (String resource : required) {
                    if (!has.has(resource)) {
                        missing.computeIfAbsent(resource, r -> new TreeSet<>())
                                .add(container.path("name").asText(""));
                    }
                }
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        missing.forEach((resource, containers) -> parts.add(resource + " for: " + String.join(",", containers)));
        return "must specify " + String.join("; ", parts);
    }
}
