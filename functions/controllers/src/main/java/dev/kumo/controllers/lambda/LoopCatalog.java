package dev.kumo.controllers.lambda;

import dev.kumo.controllers.garbagecollector.GarbageCollector;
import dev.kumo.controllers.nodelifecycle.NodeLifecycle;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.scheduler.loop.SchedulerLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.KeyMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every control loop kumo runs, by name: the component its events name, the API identity it runs as, and how to
 * build it. The hosts (CDK, the local cluster) make one queue and one function per entry.
 */
public final class LoopCatalog {
    /** Which component identity (and credentials) a loop uses. */
    public enum Identity { KUBE_SCHEDULER, KUBE_CONTROLLER_MANAGER }

    /**
     * @param keys    the loop's key mapper, which needs no API client (the fan-out runs every loop's)
     * @param factory builds the loop for a function that reconciles
     */
    public record Entry(String name, String component, Identity identity, KeyMapper keys,
                        Function<ControllerContext, ControlLoop> factory) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        // See docs/control-loops.md for the keys each maps.
        add(SchedulerLoop.NAME, SchedulerLoop.EVENT_SOURCE, Identity.KUBE_SCHEDULER, SchedulerLoop.keys(),
                SchedulerLoop::loop);
        add(GarbageCollector.NAME, "garbage-collector-controller", Identity.KUBE_CONTROLLER_MANAGER,
                GarbageCollector.keys(), GarbageCollector::loop);
        add(NodeLifecycle.NAME, NodeLifecycle.COMPONENT, Identity.KUBE_CONTROLLER_MANAGER, NodeLifecycle.keys(),
                NodeLifecycle::loop);
    }

    private LoopCatalog() {
    }

    private static void add(String name, String component, Identity identity, KeyMapper keys,
                            Function<ControllerContext, ControlLoop> factory) {
        ENTRIES.put(name, new Entry(name, component, identity, keys, factory));
    }

    /** Every loop's key mapper, by loop name: what the fan-out runs. */
    public static Map<String, KeyMapper> keyMappers() {
        Map<String, KeyMapper> mappers = new LinkedHashMap<>();
        ENTRIES.values().forEach(entry -> mappers.put(entry.name(), entry.keys()));
        return mappers;
    }

    public static List<Entry> entries() {
        return List.copyOf(ENTRIES.values());
    }

    public static Optional<Entry> find(String name) {
        return Optional.ofNullable(ENTRIES.get(name));
    }
}
