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
        return requests(podSpec, withOverhead, ResourceList.EMPTY);
    }

    /**
     * The pod's requests where a container that requests nothing of a resource in {@code nonMissing} counts that
     * amount instead ({@code PodResourcesOptions.NonMissingContainerRequests}): how the scheduler sizes a pod whose
     * containers leave cpu or memory out. An explicit zero is not missing.
     */
    public static ResourceList requests(JsonNode podSpec, boolean withOverhead, ResourceList nonMissing) {
        ResourceList requests = aggregate(podSpec, "requests", nonMissing);
        if (withOverhead && podSpec.path("overhead").isObject()) {
            requests = requests.add(ResourceList.fromJson(podSpec.path("overhead")));
        }
        return requests;
    }

    /** The pod's limits; with {@code withOverhead}, {@code spec.overhead} is added to the resources that have one. */
    public static ResourceList limits(JsonNode podSpec, boolean withOverhead) {
        ResourceList limits = aggregate(podSpec, "limits", ResourceList.EMPTY);
        if (withOverhead && podSpec.path("overhead").isObject()) {
            ResourceList overhead = ResourceList.fromJson(podSpec.path("overhead")).mask(limits.names());
            limits = limits.add(overhead);
        }
        return limits;
    }

    private static ResourceList aggregate(JsonNode podSpec, String kind, ResourceList nonMissing) {
        ResourceList total = ResourceList.EMPTY;
        for (JsonNode container : podSpec.path("containers")) {
            total = total.add(withDefaults(of(container, kind), nonMissing));
        }
        ResourceList sidecars = ResourceList.EMPTY;
        ResourceList initPeak = ResourceList.EMPTY;
        for (JsonNode container : podSpec.path("initContainers")) {
            ResourceList own = withDefaults(of(container, kind), nonMissing);
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

    private static ResourceList withDefaults(ResourceList own, ResourceList defaults) {
        ResourceList result = own;
        for (String name : defaults.names()) {
            if (!own.has(name)) {
                result = result.with(name, defaults.get(name));
            }
        }
        return result;
    }

    /** One container's {@code resources.requests} or {@code resources.limits}. */
    public static ResourceList of(JsonNode container, String kind) {
        JsonNode list = container.path("resources").path(kind);
        return list.isObject() ? ResourceList.fromJson(list) : ResourceList.EMPTY;
    }
}
