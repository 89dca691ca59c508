package dev.kumo.controllers.endpointslice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.controllers.endpoints.ServiceKeys;
import dev.kumo.controllers.endpoints.ServicePodsReconciler;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.PeriodicResync;

import java.time.Duration;
import java.util.Map;

/**
 * kube-controller-manager's EndpointSlice controller (events as {@code endpointslice-controller}):
 * discovery.k8s.io/v1 EndpointSlices, at most {@link EndpointSliceSync#MAX_ENDPOINTS_PER_SLICE} endpoints each, for
 * every Service with a selector. Keys: {@code services/<ns>/<name>}, {@code pods/<ns>/<name>} ("the services of this
 * pod", see {@link ServiceKeys}); a deleted slice of this controller maps to its service. Its own creates and
 * updates are not mapped back (kube's slice tracker ignores them too); a slice changed by someone else is put right
 * at the service's next sync or resync. Resync: every service with a selector, every {@link #RESYNC}.
 */
public final class EndpointSliceController {
    public static final String NAME = "endpointslice";
    public static final String COMPONENT = "endpointslice-controller";
    public static final Duration RESYNC = Duration.ofMinutes(30);

    private EndpointSliceController() {
    }

    /** The loop's key mapper, which needs no API client (the fan-out runs it). */
    public static KeyMapper keys() {
        return ServiceKeys.mapper(ResourceType.ENDPOINT_SLICES.storageResource(), EndpointSliceController::serviceOf);
    }

    public static ControlLoop loop(ControllerContext context) {
        return new ControlLoop(NAME, keys(),
                new ServicePodsReconciler(context.client(),
                        new EndpointSliceSync(context, EndpointSliceSync.MAX_ENDPOINTS_PER_SLICE)),
                new PeriodicResync(context.clock(), RESYNC, ServiceKeys.allServices(context.client())));
    }

    /** The service of a slice this controller manages, or empty for someone else's. */
    private static String serviceOf(ObjectNode slice) {
        Map<String, String> labels = Labels.of(slice);
        return Slice.CONTROLLER_NAME.equals(labels.get(Slice.MANAGED_BY_LABEL))
                ? labels.getOrDefault(Slice.SERVICE_NAME_LABEL, "") : "";
    }
}
