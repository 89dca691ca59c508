package dev.kumo.apimachinery.resource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a pod asks for as a whole, from its spec (Kubernetes' {@code PodRequests} and {@code PodLimits} of
 * component-helpers): the sum over its containers and its restartable init containers (sidecars), at least the
 * largest need of any one init container while it runs, plus the pod's overhead when asked for. The scheduler,
 * quota and limit ranges all count a pod this way.
 */
public final class PodResources {
    private PodResources() {
    }

    /** The pod's requests; with {@code withOverhead}, {@code spec.overhead} is added to every resource. */
    public static ResourceList requests(JsonNode podSpec, boolean withOverhead) {
        ResourceList requests = aggregate(podSpec, "requests");
        if (withOverhead && podSpec.path("overhead").isObject()) {
            requests = requests.add(ResourceList.fromJson(podSpec.path("overhead")));
        }
        return requests;
    }

    /** The pod's limits; with {@code withOverhead}, {@code spec.overhead} is added to the resources that have one. */
    public static ResourceList limits(JsonNode podSpec, boolean withOverhead) {
        ResourceList limits = aggregate(podSpec, "limits");
        if (withOverhead && podSpec.path("overhead").isObject()) {
            ResourceList overhead = ResourceList.fromJson(podSpec.path("overhead")).mask(limits.names());
            limits = limits.add(overhead);
        }
        return limits;
    }

    private static ResourceList aggregate(JsonNode podSpec, String kind) {
        ResourceList total = ResourceList.EMPTY;
        for (JsonNode container : podSpec.path("containers")) {
            total = total.add(of(container, kind));
        }
        ResourceList sidecars = ResourceList.EMPTY;
        ResourceList initPeak = ResourceList.EMPTY;
        for (JsonNode container : podSpec.path("initContainers")) {
            ResourceList own = of(container, kind);
            ResourceList whileRunning;
            if ("Always".equals(container.path("restartPolicy").asText(""))) {
                total = total.add(own);
                sidecars = sidecars.add(own);
                whileRunning = sidecars;
            } else {
                whileRunning = own.add(sidecars);
            }
            initPeak = initPeak.max(whileRunning);
        }
        return total.max(initPeak);
    }

    /** One container's {@code resources.requests} or {@code resources.limits}. */
    public static ResourceList of(JsonNode container, String kind) {
        JsonNode list = container.path("resources").path(kind);
        return list.isObject() ? ResourceList.fromJson(list) : ResourceList.EMPTY;
    }
}
