package dev.kumo.apiserver.admission.limitranger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.resource.PodResources;
import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.apimachinery.resource.ResourceList;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Kubernetes' {@code PodValidateLimitFunc}: the min, max and maxLimitRequestRatio of a LimitRange's Container
 * items against every container and init container, and of its Pod items against the pod's totals, with
 * Kubernetes' messages. Amounts compare in thousandths where that cannot overflow, as Kubernetes does.
 */
final class LimitConstraints {
    private LimitConstraints() {
    }

    static List<String> violations(JsonNode limitRange, JsonNode podSpec) {
        List<String> violations = new ArrayList<>();
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            String type = item.path("type").asText("");
            if (type.equals("Container")) {
                for (String list : new String[]{"containers", "initContainers"}) {
                    for (JsonNode container : podSpec.path(list)) {
                        check(item, type, PodResources.of(container, "requests"), PodResources.of(container, "limits"),
                                violations);
                    }
                }
            } else if (type.equals("Pod")) {
                check(item, type, PodResources.requests(podSpec, false), PodResources.limits(podSpec, false),
                        violations);
            }
        }
        return violations;
    }

    private static void check(JsonNode item, String type, ResourceList requests, ResourceList limits,
                              List<String> violations) {
        item.path("min").fields().forEachRemaining(e -> min(type, e.getKey(), quantity(e.getValue()), requests,
                limits, violations));
        item.path("max").fields().forEachRemaining(e -> max(type, e.getKey(), quantity(e.getValue()), requests,
                limits, violations));
        item.path("maxLimitRequestRatio").fields().forEachRemaining(e -> ratio(type, e.getKey(),
                quantity(e.getValue()), requests, limits, violations));
    }

    private static Quantity quantity(JsonNode value) {
        return Quantity.parse(value.asText());
    }

    private static void min(String type, String resource, Quantity enforced, ResourceList requests,
                            ResourceList limits, List<String> violations) {
        Quantity request = requests.get(resource);
        Quantity limit = limits.get(resource);
        long[] values = comparable(request, limit, enforced);
        if (request == null) {
            violations.add("minimum " + resource + " usage per " + type + " is " + enforced
                    + ".  No request is specified");
        } else if (values[0] < values[2]) {
            violations.add("minimum " + resource + " usage per " + type + " is " + enforced + ", but request is "
                    + request);
        } else if (limit != null && values[1] < values[2]) {
            violations.add("minimum " + resource + " usage per " + type + " is " + enforced + ", but limit is "
                    + limit);
        }
    }

    private static void max(String type, String resource, Quantity enforced, ResourceList requests,
                            ResourceList limits, List<String> violations) {
        Quantity request = requests.get(resource);
        Quantity limit = limits.get(resource);
        long[] values = comparable(request, limit, enforced);
        if (limit == null) {
            violations.add("maximum " + resource + " usage per " + type + " is " + enforced
                    + ".  No limit is specified");
        } else if (values[1] > values[2]) {
            violations.add("maximum " + resource + " usage per " + type + " is " + enforced + ", but limit is "
                    + limit);
        } else if (request != null && values[0] > values[2]) {
            violations.add("maximum " + resource + " usage per " + type + " is " + enforced + ", but request is "
                    + request);
        }
    }

    private static void ratio(String type, String resource, Quantity enforced, ResourceList requests,
                              ResourceList limits, List<String> violations) {
        Quantity request = requests.get(resource);
        Quantity limit = limits.get(resource);
        long[] values = comparable(request, limit, enforced);
        if (request == null || values[0] == 0) {
            violations.add(resource + " max limit to request ratio per " + type + " is " + enforced
                    + ", but no request is specified or request is 0");
            return;
        }
        if (limit == null || values[1] == 0) {
            violations.add(resource + " max limit to request ratio per " + type + " is " + enforced
                    + ", but no limit is specified or limit is 0");
            return;
        }
        double observed = (double) values[1] / values[0];
        double shown = observed;
        double maximum = enforced.value();
        if (enforced.value() <= Quantity.MAX_MILLI_VALUE) {
            observed = observed * 1000;
            maximum = enforced.milliValue();
        }
        if (observed > maximum) {
            violations.add(resource + " max limit to request ratio per " + type + " is " + enforced
                    + ", but provided ratio is " + String.format(Locale.ROOT, "%f", shown));
        }
    }

    /** Request, limit and enforced amount at one precision: thousandths unless that could overflow. */
    private static long[] comparable(Quantity request, Quantity limit, Quantity enforced) {
        Quantity r = request == null ? Quantity.ZERO : request;
        Quantity l = limit == null ? Quantity.ZERO : limit;
        if (r.value() <= Quantity.MAX_MILLI_VALUE && l.value() <= Quantity.MAX_MILLI_VALUE
                && enforced.value() <= Quantity.MAX_MILLI_VALUE) {
            return new long[]{r.milliValue(), l.milliValue(), enforced.milliValue()};
        }
        return new long[]{r.value(), l.value(), enforced.value()};
    }
}
