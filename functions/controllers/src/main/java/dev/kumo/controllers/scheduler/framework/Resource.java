package dev.kumo.controllers.scheduler.framework;

import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.apimachinery.resource.ResourceList;
import dev.kumo.apimachinery.resource.ResourceNames;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Amounts of the resources the scheduler accounts for, as integers the way kube-scheduler's {@code framework.Resource}
 * keeps them: cpu in millicores, memory and ephemeral storage in bytes, a pod count, and scalar resources (extended,
 * hugepages, attachable volumes) by name. Immutable.
 *
 * <p>For a node's allocatable {@code pods} is how many pods it allows; for what is requested it is how many pods
 * there are.
 */
public record Resource(long milliCpu, long memory, long ephemeralStorage, long pods, Map<String, Long> scalars) {
    public static final Resource ZERO = new Resource(0, 0, 0, 0, Map.of());
    /** One pod and nothing else: what a placement adds to a node's pod count. */
    public static final Resource ONE_POD = new Resource(0, 0, 0, 1, Map.of());

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    public Resource {
        scalars = scalars.isEmpty() ? Map.of() : Map.copyOf(scalars);
    }

    /** A resource list read the way {@code Resource.Add} reads it: names that are not scalar resources are ignored. */
    public static Resource of(ResourceList list) {
        long cpu = 0;
        long memory = 0;
        long storage = 0;
        long pods = 0;
        Map<String, Long> scalars = new TreeMap<>();
        for (Map.Entry<String, Quantity> entry : list.asMap().entrySet()) {
            Quantity quantity = entry.getValue();
            switch (entry.getKey()) {
                case CPU -> cpu += quantity.milliValue();
                case MEMORY -> memory += quantity.value();
                case EPHEMERAL_STORAGE -> storage += quantity.value();
                case PODS -> pods += quantity.value();
                default -> {
                    if (ResourceNames.isScalar(entry.getKey())) {
                        scalars.merge(entry.getKey(), quantity.value(), Long::sum);
                    }
                }
            }
        }
        return new Resource(cpu, memory, storage, pods, scalars);
    }

    public long scalar(String name) {
        return scalars.getOrDefault(name, 0L);
    }

    /** The amount of one resource by its API name (cpu in millicores). */
    public long get(String name) {
        return switch (name) {
            case CPU -> milliCpu;
            case MEMORY -> memory;
            case EPHEMERAL_STORAGE -> ephemeralStorage;
            case PODS -> pods;
            default -> scalar(name);
        };
    }

    public Resource plus(Resource other) {
        return combine(other, 1);
    }

    public Resource minus(Resource other) {
        return combine(other, -1);
    }

    private Resource combine(Resource other, long sign) {
        Map<String, Long> merged = scalars;
        if (!other.scalars.isEmpty()) {
            merged = new HashMap<>(scalars);
            for (Map.Entry<String, Long> entry : other.scalars.entrySet()) {
                merged.merge(entry.getKey(), sign * entry.getValue(), Long::sum);
            }
        }
        return new Resource(milliCpu + sign * other.milliCpu, memory + sign * other.memory,
                ephemeralStorage + sign * other.ephemeralStorage, pods + sign * other.pods, merged);
    }

    /** True when nothing but the pod count is asked for (the fit check then only counts pods). */
    public boolean isEmptyRequest() {
        return milliCpu == 0 && memory == 0 && ephemeralStorage == 0 && scalars.isEmpty();
    }
}
