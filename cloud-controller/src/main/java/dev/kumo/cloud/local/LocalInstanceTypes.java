package dev.kumo.cloud.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The local provider's instance types: what a node of each type reports as its capacity. Nothing real backs them
 * (the node agents of this machine share its cores), so they are sizes for the scheduler, named like a cloud's.
 */
public final class LocalInstanceTypes {
    /** One instance type: cores, memory and disk as Kubernetes quantities, and the pods a node of it runs. */
    public record InstanceType(String name, String cpu, String memory, String ephemeralStorage, int pods) {
    }

    private static final Map<String, InstanceType> TYPES = new LinkedHashMap<>();

    static {
        add(new InstanceType("kumo.small", "2", "4Gi", "50Gi", 110));
        add(new InstanceType("kumo.medium", "4", "8Gi", "100Gi", 110));
        add(new InstanceType("kumo.large", "8", "16Gi", "200Gi", 110));
    }

    private LocalInstanceTypes() {
    }

    private static void add(InstanceType type) {
        TYPES.put(type.name(), type);
    }

    public static Optional<InstanceType> find(String name) {
        return Optional.ofNullable(TYPES.get(name));
    }

    public static Map<String, InstanceType> all() {
        return Map.copyOf(TYPES);
    }
}
