package dev.kumo.controllers.lambda;

import dev.kumo.controllers.deployment.DeploymentController;
import dev.kumo.controllers.endpoints.EndpointsController;
import dev.kumo.controllers.endpointslice.EndpointSliceController;
import dev.kumo.controllers.garbagecollector.GarbageCollector;
import dev.kumo.controllers.namespace.NamespaceController;
import dev.kumo.controllers.nodelifecycle.NodeLifecycle;
import dev.kumo.controllers.replicaset.ReplicaSetController;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.scheduler.loop.SchedulerLoop;
import dev.kumo.controllers.serviceaccount.ServiceAccountController;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.KeyMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Every control loop kumo runs, by name: the component its events name, the API user it runs as, and how to build
 * it. The hosts (CDK, the local cluster) make one queue and one function per entry, and give the function that
 * user's credentials.
 */
public final class LoopCatalog {
    /** kube-scheduler's user, as the default RBAC policy names it. */
    public static final String SCHEDULER_USER = "system:kube-scheduler";
    /** kube-controller-manager's user, as the default RBAC policy names it. */
    public static final String CONTROLLER_MANAGER_USER = "system:kube-controller-manager";
    /** The cloud controller's user (kumo's own; cloud-controller-manager runs under a service account). */
    public static final String CLOUD_CONTROLLER_USER = "system:kumo:cloud-controller";

    /**
     * @param user    the API user the loop runs as ({@link #SCHEDULER_USER}, {@link #CONTROLLER_MANAGER_USER})
     * @param keys    the loop's key mapper, which needs no API client (the fan-out runs every loop's)
     * @param factory builds the loop for a function that reconciles
     */
    public record Entry(String name, String component, String user, KeyMapper keys,
                        Function<ControllerContext, ControlLoop> factory) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        // See docs/control-loops.md for the keys each maps.
        add(SchedulerLoop.NAME, SchedulerLoop.EVENT_SOURCE, SCHEDULER_USER, SchedulerLoop.keys(),
                SchedulerLoop::loop);
        add(GarbageCollector.NAME, "garbage-collector-controller", CONTROLLER_MANAGER_USER,
                GarbageCollector.keys(), GarbageCollector::loop);
        add(NodeLifecycle.NAME, NodeLifecycle.COMPONENT, CONTROLLER_MANAGER_USER, NodeLifecycle.keys(),
                NodeLifecycle::loop);
        add(ReplicaSetController.NAME, ReplicaSetController.COMPONENT, CONTROLLER_MANAGER_USER,
                ReplicaSetController.keys(), ReplicaSetController::loop);
        add(DeploymentController.NAME, DeploymentController.COMPONENT, CONTROLLER_MANAGER_USER,
                DeploymentController.keys(), DeploymentController::loop);
        add(EndpointsController.NAME, EndpointsController.COMPONENT, CONTROLLER_MANAGER_USER,
                EndpointsController.keys(), EndpointsController::loop);
        add(EndpointSliceController.NAME, EndpointSliceController.COMPONENT, CONTROLLER_MANAGER_USER,
                EndpointSliceController.keys(), EndpointSliceController::loop);
        add(NamespaceController.NAME, NamespaceController.COMPONENT, CONTROLLER_MANAGER_USER,
                NamespaceController.keys(), NamespaceController::loop);
        add(ServiceAccountController.NAME, ServiceAccountController.COMPONENT, CONTROLLER_MANAGER_USER,
                ServiceAccountController.keys(), ServiceAccountController::loop);
        // Loops of other modules on the classpath (the cloud controller's): see LoopSource.
        for (LoopSource source : ServiceLoader.load(LoopSource.class, LoopCatalog.class.getClassLoader())) {
            source.entries().forEach(entry -> add(entry.name(), entry.component(), entry.user(), entry.keys(),
                    entry.factory()));
        }
    }

    private LoopCatalog() {
    }

    private static void add(String name, String component, String user, KeyMapper keys,
                            Function<ControllerContext, ControlLoop> factory) {
        if (ENTRIES.putIfAbsent(name, new Entry(name, component, user, keys, factory)) != null) {
            throw new IllegalStateException("two loops named " + name); // one queue and function per name
        }
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
