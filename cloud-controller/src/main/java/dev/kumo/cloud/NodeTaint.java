package dev.kumo.cloud;

import java.util.Objects;

/** A taint a node registers with (kubelet's {@code --register-with-taints}): key, value (may be empty), effect. */
public record NodeTaint(String key, String value, String effect) {
    public NodeTaint {
        Objects.requireNonNull(key, "key");
        value = value == null ? "" : value;
        Objects.requireNonNull(effect, "effect");
    }
}
