package dev.kumo.controllers.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.ResyncSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The keys of the endpoints and endpoint-slice loops (kube's informer handlers for services, pods and the managed
 * objects, as a pure function of one change):
 * <ul>
 *   <li>a Service → {@code services/<ns>/<name>}: sync that service;</li>
 *   <li>a pod with an address → {@code pods/<ns>/<name>}, a synthetic key meaning "the services of this pod": the
 *   reconciler finds the services whose selector matches the pod now and those whose managed objects list it
 *   (which is how the services that used to select it before its labels changed, or before it was deleted, are
 *   found: the change carries no old object, but the Endpoints or slices remember). A pod without an address was
 *   never listed anywhere and maps to nothing;</li>
 *   <li>a managed object deleted ({@code resource} of this loop, when {@code serviceName} names its service) →
 *   that service, so that it is put back.</li>
 * </ul>
 */
public final class ServiceKeys {
    public static final String SERVICES = ResourceType.SERVICES.storageResource();
    public static final String PODS = ResourceType.PODS.storageResource();

    private ServiceKeys() {
    }

    /**
     * @param managedResource the store resource this loop writes ({@code endpoints},
     *                        {@code discovery.k8s.io/endpointslices})
     * @param serviceName     the name of the service a managed object belongs to, or empty when it is not this
     *                        loop's
     */
    public static KeyMapper mapper(String managedResource, Function<ObjectNode, String> serviceName) {
        return change -> {
            ObjectKey key = change.key();
            if (key.resource().equals(SERVICES)) {
                return List.of(key);
            }
            if (key.resource().equals(PODS)) {
                return change.object() != null && EndpointPod.hasAddress(change.object()) ? List.of(key) : List.of();
            }
            if (key.resource().equals(managedResource) && change.type() == WatchEvent.Type.DELETED
                    && change.object() != null) {
                String service = serviceName.apply(change.object());
                return service.isEmpty() ? List.of() : List.of(new ObjectKey(SERVICES, key.namespace(), service));
            }
            return List.of();
        };
    }

    /** Every service with a selector, in every namespace: the keys of a periodic resync. */
    public static ResyncSource allServices(KubeClient client) {
        return () -> {
            List<ObjectKey> keys = new ArrayList<>();
            for (ObjectNode service : client.list(ResourceType.SERVICES, "", "", "")) {
                ServiceInfo info = ServiceInfo.of(service);
                if (info.managesEndpoints()) {
                    keys.add(new ObjectKey(SERVICES, info.namespace(), info.name()));
                }
            }
            return keys;
        };
    }
}
