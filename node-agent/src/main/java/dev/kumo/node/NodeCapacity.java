package dev.kumo.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.resource.Quantity;

/**
 * The resources a node reports, as Kubernetes quantities: {@code cpu}, {@code memory}, {@code ephemeral-storage} and
 * {@code pods}. For simulated nodes they are configuration; real nodes read them from the host.
 */
public record NodeCapacity(String cpu, String memory, String ephemeralStorage, int pods) {
    /** The kubelet's default pod limit. */
    public static final int DEFAULT_MAX_PODS = 110;

    public NodeCapacity {
        for (String quantity : new String[] {cpu, memory, ephemeralStorage}) {
            Quantity.parse(quantity);
        }
        if (pods < 0) {
            throw new IllegalArgumentException("pods must not be negative: " + pods);
        }
    }

    /** A node of {@code cpu} cores, {@code memory} and {@code ephemeralStorage}, with the default 110 pods. */
    public static NodeCapacity of(String cpu, String memory, String ephemeralStorage) {
        return new NodeCapacity(cpu, memory, ephemeralStorage, DEFAULT_MAX_PODS);
    }

    /** Writes the resource list ({@code capacity} or {@code allocatable}) into {@code list}. */
    public ObjectNode writeTo(ObjectNode list) {
        list.put("cpu", cpu).put("ephemeral-storage", ephemeralStorage).put("memory", memory)
                .put("pods", Integer.toString(pods));
        return list;
    }
}
