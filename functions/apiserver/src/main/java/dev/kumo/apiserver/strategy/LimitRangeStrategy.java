package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.apiserver.errors.FieldError;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * LimitRanges: Kubernetes' defaults for Container items (a missing default limit is the max, a missing default
 * request the default limit, else the min) and {@code ValidateLimitRange}'s rules and messages.
 */
public final class LimitRangeStrategy implements Strategy {
    static final Set<String> STANDARD_TYPES = Set.of("Pod", "Container", "PersistentVolumeClaim");
    private static final List<String> QUANTITY_MAPS = List.of("max", "min", "default", "defaultRequest",
            "maxLimitRequestRatio");

    @Override
    public void applyDefaults(ObjectNode limitRange) {
        for (ObjectNode item : Json.objects(limitRange.path("spec"), "limits")) {
            QUANTITY_MAPS.forEach(map -> ResourceQuantities.canonicalize(item.path(map)));
            if (!"Container".equals(item.path("type").asText())) {
                continue;
            }
            ObjectNode defaults = Json.object(item, "default");
            ObjectNode defaultRequests = Json.object(item, "defaultRequest");
            copyMissing(item.path("max"), defaults);
            copyMissing(defaults, defaultRequests);
            copyMissing(item.path("min"), defaultRequests);
            if (defaults.isEmpty()) {
                item.remove("default");
            }
            if (defaultRequests.isEmpty()) {
                item.remove("defaultRequest");
            }
        }
    }

    private static void copyMissing(JsonNode from, ObjectNode to) {
        from.fields().forEachRemaining(entry -> {
            if (!to.has(entry.getKey())) {
                to.set(entry.getKey(), entry.getValue().deepCopy());
            }
        });
    }

    @Override
    public List<FieldError> validate(ObjectNode limitRange) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> types = new HashSet<>();
        int i = 0;
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            String at = "spec.limits[" + i++ + "]";
            String type = item.path("type").asText("");
            validateType(type, at + ".type", errors);
            if (!types.add(type)) {
                errors.add(FieldError.duplicate(at + ".type", type));
            }
            Map<String, Map<String, Quantity>> maps = new LinkedHashMap<>();
            Set<String> keys = new TreeSet<>();
            for (String map : QUANTITY_MAPS) {
                boolean defaults = map.equals("default") || map.equals("defaultRequest");
                if (defaults && type.equals("Pod")) {
                    if (!item.path(map).isEmpty()) {
                        errors.add(FieldError.forbidden(at + "." + map, "may not be specified when `type` is 'Pod'"));
                    }
                    continue;
                }
                Map<String, Quantity> quantities = new LinkedHashMap<>();
                item.path(map).fields().forEachRemaining(entry -> {
                    String key = at + "." + map + "[" + entry.getKey() + "]";
                    validateResourceName(type, entry.getKey(), key, errors);
                    Quantity quantity = ResourceQuantities.parse(entry.getValue(), key, errors);
                    if (quantity != null) {
                        quantities.put(entry.getKey(), quantity);
                    }
                    keys.add(entry.getKey());
                });
                maps.put(map, quantities);
            }
            if (type.equals("PersistentVolumeClaim") && !item.path("min").has("storage")
                    && !item.path("max").has("storage")) {
                errors.add(FieldError.required(at + ".limits",
                        "either minimum or maximum storage value is required, but neither was provided"));
            }
            for (String key : keys) {
                checkOrder(at, key, maps, errors);
            }
        }
        return errors;
    }

    private static void checkOrder(String at, String key, Map<String, Map<String, Quantity>> maps,
                                   List<FieldError> errors) {
        Quantity min = maps.getOrDefault("min", Map.of()).get(key);
        Quantity max = maps.getOrDefault("max", Map.of()).get(key);
        Quantity defaultLimit = maps.getOrDefault("default", Map.of()).get(key);
        Quantity defaultRequest = maps.getOrDefault("defaultRequest", Map.of()).get(key);
        Quantity ratio = maps.getOrDefault("maxLimitRequestRatio", Map.of()).get(key);
        String k = "[" + key + "]";
        if (min != null && max != null && min.compareTo(max) > 0) {
            errors.add(FieldError.invalid(at + ".min" + k, min, "min value " + min + " is greater than max value "
                    + max));
        }
        if (defaultRequest != null && min != null && min.compareTo(defaultRequest) > 0) {
            errors.add(FieldError.invalid(at + ".defaultRequest" + k, defaultRequest, "min value " + min
                    + " is greater than default request value " + defaultRequest));
        }
        if (defaultRequest != null && max != null && defaultRequest.compareTo(max) > 0) {
            errors.add(FieldError.invalid(at + ".defaultRequest" + k, defaultRequest, "default request value "
                    + defaultRequest + " is greater than max value " + max));
        }
        if (defaultRequest != null && defaultLimit != null && defaultRequest.compareTo(defaultLimit) > 0) {
            errors.add(FieldError.invalid(at + ".defaultRequest" + k, defaultRequest, "default request value "
                    + defaultRequest + " is greater than default limit value " + defaultLimit));
        }
        if (defaultLimit != null && min != null && min.compareTo(defaultLimit) > 0) {
            errors.add(FieldError.invalid(at + ".default" + k, min, "min value " + min
                    + " is greater than default value " + defaultLimit));
        }
        if (defaultLimit != null && max != null && defaultLimit.compareTo(max) > 0) {
            errors.add(FieldError.invalid(at + ".default" + k, max, "default value " + defaultLimit
                    + " is greater than max value " + max));
        }
        if (ratio != null && ratio.compareTo(Quantity.of(1, Quantity.Format.DECIMAL_SI)) < 0) {
            errors.add(FieldError.invalid(at + ".maxLimitRequestRatio" + k, ratio, "ratio " + ratio
                    + " is less than 1"));
        }
        if (ratio != null && min != null && max != null) {
            double ratioValue = ratio.value();
            long minValue = min.value();
            long maxValue = max.value();
            if (ratio.value() < Quantity.MAX_MILLI_VALUE && minValue < Quantity.MAX_MILLI_VALUE
                    && maxValue < Quantity.MAX_MILLI_VALUE) {
                ratioValue = ratio.milliValue() / 1000.0;
                minValue = min.milliValue();
                maxValue = max.milliValue();
            }
            double limit = (double) maxValue / minValue;
            if (ratioValue > limit) {
                errors.add(FieldError.invalid(at + ".maxLimitRequestRatio" + k, ratio, "ratio " + ratio
                        + " is greater than max/min = " + String.format(Locale.ROOT, "%f", limit)));
            }
        }
        boolean overcommitAllowed = !key.startsWith("hugepages-") && (key.indexOf('/') < 0
                || key.startsWith("kubernetes.io/") || key.contains(".kubernetes.io/"));
        if (!overcommitAllowed && defaultLimit != null && defaultRequest != null
                && defaultLimit.compareTo(defaultRequest) != 0) {
            errors.add(FieldError.invalid(at + ".defaultRequest" + k, defaultRequest, "default value "
                    + defaultLimit + " must equal to defaultRequest value " + defaultRequest + " in " + key));
        }
    }

    private static void validateType(String type, String at, List<FieldError> errors) {
        if (type.isEmpty()) {
            errors.add(FieldError.invalid(at, type, "name part must be non-empty"));
        } else if (!Labels.isValidKey(type)) {
            errors.add(FieldError.invalid(at, type, "name part must consist of alphanumeric characters, '-', '_' or "
                    + "'.', and must start and end with an alphanumeric character"));
        } else if (type.indexOf('/') < 0 && !STANDARD_TYPES.contains(type)) {
            errors.add(FieldError.invalid(at, type, "must be a standard limit type or fully qualified"));
        }
    }

    private static void validateResourceName(String type, String name, String at, List<FieldError> errors) {
        if (type.equals("Pod") || type.equals("Container")) {
            ResourceQuantities.validateContainerResourceName(name, at, errors);
        } else {
            ResourceQuantities.validateResourceName(name, at, errors);
        }
    }
}
