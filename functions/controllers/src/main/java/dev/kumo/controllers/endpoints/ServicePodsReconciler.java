package dev.kumo.controllers.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reconciler of the endpoints loops for the keys {@link ServiceKeys} emits: a service key syncs that service; a
 * pod key syncs every service that selects the pod now or whose managed objects list it (one list of the
 * namespace's services, one of its managed objects). The syncs of a pod key run beside the service's own key (a
 * different message group), so each sync reads its managed objects before the pods and writes with their
 * resourceVersion: a sync that read older pods than a concurrent one loses with a conflict and looks again.
 * A sync that fails does not stop the others; the first failure is thrown after all were tried.
 */
public final class ServicePodsReconciler implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(ServicePodsReconciler.class);

    private final KubeClient client;
    private final ServiceSync sync;

    public ServicePodsReconciler(KubeClient client, ServiceSync sync) {
        this.client = client;
        this.sync = sync;
    }

    @Override
    public Result reconcile(ObjectKey key) throws Exception {
        if (key.resource().equals(ServiceKeys.SERVICES)) {
            return sync.sync(key.namespace(), key.name(),
                    client.get(ResourceType.SERVICES, key.namespace(), key.name()).map(ServiceInfo::of));
        }
        if (key.resource().equals(ServiceKeys.PODS)) {
            return syncServicesOfPod(key.namespace(), key.name());
        }
        throw new IllegalArgumentException("not a key of an endpoints loop: " + key);
    }

    private Result syncServicesOfPod(String namespace, String podName) throws Exception {
        Optional<ObjectNode> pod = client.get(ResourceType.PODS, namespace, podName);
        Map<String, Optional<ServiceInfo>> services = new TreeMap<>();
        if (pod.isPresent()) {
            Map<String, String> labels = Labels.of(pod.get());
            for (ObjectNode object : client.list(ResourceType.SERVICES, namespace, "", "")) {
                ServiceInfo service = ServiceInfo.of(object);
                if (service.selects(labels)) {
                    services.put(service.name(), Optional.of(service));
                }
            }
        }
        for (String listing : sync.servicesListing(namespace, podName)) {
            services.computeIfAbsent(listing,
                    name -> client.get(ResourceType.SERVICES, namespace, name).map(ServiceInfo::of));
        }
        Result result = Result.DONE;
        Exception failure = null;
        for (Map.Entry<String, Optional<ServiceInfo>> service : services.entrySet()) {
            try {
                result = result.orSooner(sync.sync(namespace, service.getKey(), service.getValue()));
            } catch (Exception e) {
                LOG.atWarn().setCause(e).addKeyValue("namespace", namespace).addKeyValue("pod", podName)
                        .addKeyValue("service", service.getKey()).log("syncing a service of a pod failed");
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }
}
