package dev.kumo.node;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a node agent is told about its node: its name (also its hostname), its address (the node's InternalIP and
 * the pods' hostIP), the pod CIDR it asks for when it registers, the resources it reports, its operating system
 * and architecture, extra labels (which NodeRestriction must allow a node to set on itself), and the taints it
 * registers with (kubelet's {@code --register-with-taints}: set when the Node is created, never changed after).
 */
public record NodeConfig(String name, String address, String podCidr, NodeCapacity capacity,
                         NodeCapacity allocatable, String operatingSystem, String architecture,
                         Map<String, String> labels, List<Taint> taints) {

    /** A taint to register with: key, value (may be empty), effect. */
    public record Taint(String key, String value, String effect) {
        public Taint {
            Objects.requireNonNull(key, "key");
            value = value == null ? "" : value;
            Objects.requireNonNull(effect, "effect");
        }
    }

    public NodeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(podCidr, "podCidr");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(allocatable, "allocatable");
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
    }

    /** This node with {@code extraLabels} added to its labels and registering with {@code registerTaints}. */
    public NodeConfig withLabelsAndTaints(Map<String, String> extraLabels, List<Taint> registerTaints) {
        Map<String, String> all = new java.util.LinkedHashMap<>(labels);
        all.putAll(extraLabels);
        return new NodeConfig(name, address, podCidr, capacity, allocatable, operatingSystem, architecture, all,
                registerTaints);
    }

    /** A linux node of this JVM's architecture whose allocatable resources are its capacity. */
    public static NodeConfig of(String name, String address, String podCidr, NodeCapacity capacity) {
        return new NodeConfig(name, address, podCidr, capacity, capacity, "linux", hostArchitecture(), Map.of(),
                List.of());
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
