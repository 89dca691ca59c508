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

    /** Kubernetes' {@code minConstraint}: a request is needed, and neither it nor a limit may be below the minimum. */
    private static void min(String type, String resource, Quantity enforced, ResourceList requests,
                            ResourceList limits, List<String> violations) {
        Observed o = Observed.of(resource, enforced, requests, limits);
        String minimum = "minimum " + resource + " usage per " + type + " is " + enforced;
        if (o.request() == null) {
            violations.add(minimum + ".  No request is specified");
        } else if (o.requestValue() < o.enforcedValue()) {
            violations.add(minimum + ", but request is " + o.request());
        } else if (o.limit() != null && o.limitValue() < o.enforcedValue()) {
            violations.add(minimum + ", but limit is " + o.limit());
        }
    }

    /** Kubernetes' {@code maxConstraint}: a limit is needed, and neither it nor a request may be above the maximum. */
    private static void max(String type, String resource, Quantity enforced, ResourceList requests,
                            ResourceList limits, List<String> violations) {
        Observed o = Observed.of(resource, enforced, requests, limits);
        String maximum = "maximum " + resource + " usage per " + type + " is " + enforced;
        if (o.limit() == null) {
            violations.add(maximum + ".  No limit is specified");
        } else if (o.limitValue() > o.enforcedValue()) {
            violations.add(maximum + ", but limit is " + o.limit());
        } else if (o.request() != null && o.requestValue() > o.enforcedValue()) {
            violations.add(maximum + ", but request is " + o.request());
        }
    }

    private static void ratio(String type, String resource, Quantity enforced, ResourceList requests,
                              ResourceList limits, List<String> violations) {
        Observed o = Observed.of(resource, enforced, requests, limits);
        String rule = resource + " max limit to request ratio per " + type + " is " + enforced;
        if (o.request() == null || o.requestValue() == 0) {
            violations.add(rule + ", but no request is specified or request is 0");
            return;
        }
        if (o.limit() == null || o.limitValue() == 0) {
            violations.add(rule + ", but no limit is specified or limit is 0");
            return;
        }
        double observed = (double) o.limitValue() / o.requestValue();
        double shown = observed;
        double maximum = enforced.value();
        if (enforced.value() <= Quantity.MAX_MILLI_VALUE) {
            observed = observed * 1000;
            maximum = enforced.milliValue();
        }
        if (observed > maximum) {
            violations.add(rule + ", but provided ratio is " + String.format(Locale.ROOT, "%f", shown));
        }
    }

    /**
     * A container's (or the pod's) request and limit of one resource (null when not set) and, at one precision, their
     * amounts and the enforced one (Kubernetes' {@code requestLimitEnforcedValues}): thousandths unless that could
     * overflow, a missing amount as zero.
     */
    private record Observed(Quantity request, Quantity limit, long requestValue, long limitValue,
                            long enforcedValue) {
        static Observed of(String resource, Quantity enforced, ResourceList requests, ResourceList limits) {
            Quantity request = requests.get(resource);
            Quantity limit = limits.get(resource);
            Quantity r = request == null ? Quantity.ZERO : request;
            Quantity l = limit == null ? Quantity.ZERO : limit;
            if (r.value() <= Quantity.MAX_MILLI_VALUE && l.value() <= Quantity.MAX_MILLI_VALUE
                    && enforced.value() <= Quantity.MAX_MILLI_VALUE) {
                return new Observed(request, limit, r.milliValue(), l.milliValue(), enforced.milliValue());
            }
            return new Observed(request, limit, r.value(), l.value(), enforced.value());
        }
    }
}
