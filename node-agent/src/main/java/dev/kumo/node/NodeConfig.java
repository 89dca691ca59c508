package dev.kumo.node;

import java.util.Map;
import java.util.Objects;

/**
 * What a node agent is told about its node: its name (also its hostname), its address (the node's InternalIP and
 * the pods' hostIP), the pod CIDR it asks for when it registers, the resources it reports, its operating system
 * and architecture, and extra labels (which NodeRestriction must allow a node to set on itself).
 */
public record NodeConfig(String name, String address, String podCidr, NodeCapacity capacity,
                         NodeCapacity allocatable, String operatingSystem, String architecture,
                         Map<String, String> labels) {

    public NodeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(podCidr, "podCidr");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(allocatable, "allocatable");
        labels = Map.copyOf(labels);
    }

    /** A linux node of this JVM's architecture whose allocatable resources are its capacity. */
    public static NodeConfig of(String name, String address, String podCidr, NodeCapacity capacity) {
        return new NodeConfig(name, address, podCidr, capacity, capacity, "linux", hostArchitecture(), Map.of());
    }

    /** The host's architecture in Go's words ({@code GOARCH}), which {@code kubernetes.io/arch} uses. */
    public static String hostArchitecture() {
        String arch = System.getProperty("os.arch", "");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }
}
