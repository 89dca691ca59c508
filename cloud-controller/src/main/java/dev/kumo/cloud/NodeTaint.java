package dev.kumo.cloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/** A taint a node registers with (kubelet's {@code --register-with-taints}): key, value (may be empty), effect. */
public record NodeTaint(String key, String value, String effect) {
    /**
     * The taint a node registers with when a cloud controller initializes it (the kubelet's
     * {@code --cloud-provider=external}): until it is gone the node lacks what the cloud knows of it, its pool's
     * labels and taints among them, and nothing is scheduled there.
     */
    public static final NodeTaint UNINITIALIZED =
            new NodeTaint("node.cloudprovider.kubernetes.io/uninitialized", "true", "NoSchedule");

    public NodeTaint {
        Objects.requireNonNull(key, "key");
        value = value == null ? "" : value;
        Objects.requireNonNull(effect, "effect");
    }

    /** Whether {@code node} (a Node object) still carries {@link #UNINITIALIZED}. */
    public static boolean isUninitialized(JsonNode node) {
        for (JsonNode taint : node.path("spec").path("taints")) {
            if (taint.path("key").asText().equals(UNINITIALIZED.key())) {
                return true;
            }
        }
        return false;
    }
}
