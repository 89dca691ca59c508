package dev.kumo.controllers.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What plugins compute once per scheduling cycle and read back at later extension points (kube-scheduler's
 * {@code CycleState}), plus the plugins whose Filter or Score this pod skips.
 */
public final class CycleState {
    /** A typed slot; plugins keep their keys private, so one plugin cannot read another's state by accident. */
    public record Key<T>(String name) {
    }

    private final Map<Key<?>, Object> data = new HashMap<>();
    private final Set<String> skipFilterPlugins = new HashSet<>();
    private final Set<String> skipScorePlugins = new HashSet<>();

    public <T> void write(Key<T> key, T value) {
        data.put(key, value);
    }

    /** The value a plugin wrote; a missing one is a programming error (the plugin's earlier point did not run). */
    @SuppressWarnings("unchecked")
    public <T> T read(Key<T> key) {
        Object value = data.get(key);
        if (value == null) {
            throw new IllegalStateException("error reading \"" + key.name() + "\" from cycleState: not found");
        }
        return (T) value;
    }

    public Set<String> skipFilterPlugins() {
        return skipFilterPlugins;
    }

    public Set<String> skipScorePlugins() {
        return skipScorePlugins;
    }
}
