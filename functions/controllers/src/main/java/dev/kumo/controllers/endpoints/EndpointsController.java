package dev.kumo.controllers.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.PeriodicResync;

import java.time.Duration;

/**
 * kube-controller-manager's endpoints controller (events as {@code endpoint-controller}): core/v1 Endpoints for
 * every Service with a selector. Keys: {@code services/<ns>/<name>}, {@code pods/<ns>/<name>} ("the services of this
 * pod", see {@link ServiceKeys}); a deleted Endpoints maps to its service. Resync: every service with a selector,
 * every {@link #RESYNC} (the events cover the rest).
 */
public final class EndpointsController {
    public static final String NAME = "endpoints";
    public static final String COMPONENT = "endpoint-controller";
    public static final Duration RESYNC = Duration.ofMinutes(30);

    private EndpointsController() {
    }

    /** The loop's key mapper, which needs no API client (the fan-out runs it). */
    public static KeyMapper keys() {
        return ServiceKeys.mapper(ResourceType.ENDPOINTS.storageResource(), EndpointsController::serviceOf);
    }

    public static ControlLoop loop(ControllerContext context) {
        return new ControlLoop(NAME, keys(),
                new ServicePodsReconciler(context.client(), new EndpointsSync(context)),
                new PeriodicResync(context.clock(), RESYNC, ServiceKeys.allServices(context.client())));
    }

    /** Endpoints are named after their service (kube requeues the service of any deleted Endpoints). */
    private static String serviceOf(ObjectNode endpoints) {
        return Meta.name(endpoints);
    }
}
