package dev.kumo.node.probes;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The latest result of one kind of probe per container id (the kubelet's {@code results.Manager}); a change is
 * reported with the pod's key, so that the pod's status is synced again.
 */
final class ProbeResults {
    private final Map<String, ProbeResult> results = new ConcurrentHashMap<>();
    private final Consumer<String> changed;

    ProbeResults(Consumer<String> changed) {
        this.changed = changed;
    }

    Optional<ProbeResult> get(String containerId) {
        return Optional.ofNullable(results.get(containerId));
    }

    void set(String containerId, ProbeResult result, String podKey) {
        if (results.put(containerId, result) != result) {
            changed.accept(podKey);
        }
    }

    void remove(String containerId) {
        results.remove(containerId);
    }
}
