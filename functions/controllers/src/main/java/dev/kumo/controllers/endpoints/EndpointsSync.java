package dev.kumo.controllers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.controllers.endpoints.EndpointSubsets.Address;
import dev.kumo.controllers.endpoints.EndpointSubsets.Entry;
import dev.kumo.controllers.endpoints.EndpointSubsets.Port;
import dev.kumo.controllers.endpoints.EndpointSubsets.Subset;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * kube's endpoints controller {@code syncService} for one service: an Endpoints object of the service's name whose
 * subsets are the matching pods with an address (ready ones in {@code addresses}, others in
 * {@code notReadyAddresses}, all ready with {@code publishNotReadyAddresses}; terminating and terminal pods left
 * out unless it is set), each port resolved per pod from the target port (a named one through the pod's container
 * ports), repacked; the service's labels plus {@code endpoints.kubernetes.io/managed-by} and the headless label; the
 * trigger-time annotation. An unchanged Endpoints is not written. A deleted service's Endpoints is deleted; a
 * service without selector is left alone.
 */
public final class EndpointsSync implements ServiceSync {
    public static final String MANAGED_BY_LABEL = "endpoints.kubernetes.io/managed-by";
    public static final String CONTROLLER_NAME = "endpoint-controller";
    public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    public static final String OVER_CAPACITY_ANNOTATION = "endpoints.kubernetes.io/over-capacity";
    /** How soon a sync that lost a race to a concurrent write looks again. */
    static final Duration CONFLICT_RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(EndpointsSync.class);

    private final ControllerContext context;
    private final KubeClient client;

    public EndpointsSync(ControllerContext context) {
        this.context = context;
        this.client = context.client();
    }

    @Override
    public Result sync(String namespace, String name, Optional<ServiceInfo> found) {
        if (found.isEmpty()) {
            if (client.delete(ResourceType.ENDPOINTS, namespace, name, null, null)) {
                LOG.atInfo().addKeyValue("namespace", namespace).addKeyValue("service", name)
                        .log("deleted the endpoints of a deleted service");
            }
            return Result.DONE;
        }
        ServiceInfo service = found.get();
        if (!service.managesEndpoints()) {
            return Result.DONE;
        }
        // The Endpoints first, the pods after: a write based on them is then at least as new as any write that
        // changed the Endpoints since (a concurrent sync of an older view fails its resourceVersion check).
        Optional<ObjectNode> current = client.get(ResourceType.ENDPOINTS, namespace, name);
        List<EndpointPod> pods = client.list(ResourceType.PODS, namespace, service.selectorString(), "").stream()
                .map(EndpointPod::of).toList();
        List<Subset> subsets = EndpointSubsets.repack(entries(service, pods));
        if (current.isPresent() && upToDate(current.get(), service, subsets)) {
            return Result.DONE;
        }
        ObjectNode next = desired(service, current, subsets, pods);
        return write(service, next, current.isEmpty(), subsets);
    }

    private static List<Entry> entries(ServiceInfo service, List<EndpointPod> pods) {
        List<Entry> entries = new ArrayList<>();
        for (EndpointPod pod : pods) {
            if (!pod.belongsInEndpoints(service.publishNotReadyAddresses())) {
                continue;
            }
            String family = service.primaryFamily().isEmpty()
                    ? (pod.ips().getFirst().contains(":") ? "IPv6" : "IPv4") : service.primaryFamily();
            String ip = pod.ipOf(family);
            if (ip.isEmpty()) {
                continue; // no address of the service's family (a dual-stack upgrade in kube's words)
            }
            Address address = new Address(ip, pod.hostnameFor(service), pod.nodeName(), pod.targetRef());
            boolean ready = service.publishNotReadyAddresses() || pod.ready();
            if (service.ports().isEmpty()) {
                if (service.headless()) {
                    entries.add(new Entry(address, ready, null)); // a headless service may have no ports
                }
                continue;
            }
            for (Port port : pod.portsFor(service)) {
                entries.add(new Entry(address, ready, port));
            }
        }
        return entries;
    }

    /** kube's comparison: same subsets (ignoring pod resourceVersions), labels and capacity annotation. */
    private static boolean upToDate(ObjectNode current, ServiceInfo service, List<Subset> subsets) {
        JsonNode annotations = current.path("metadata").path("annotations");
        boolean overCapacity = EndpointSubsets.count(subsets) > EndpointSubsets.MAX_CAPACITY;
        boolean capacityAnnotationRight = !overCapacity && !annotations.has(OVER_CAPACITY_ANNOTATION);
        return capacityAnnotationRight && EndpointSubsets.canonical(current.path("subsets")).equals(subsets)
                && labelsCorrect(Labels.of(current), service);
    }

    /** kube's {@code labelsCorrectForEndpoints}: the service's labels plus ours, nothing else. */
    private static boolean labelsCorrect(Map<String, String> labels, ServiceInfo service) {
        if (!CONTROLLER_NAME.equals(labels.get(MANAGED_BY_LABEL))
                || service.hasClusterIP() == labels.containsKey(HEADLESS_LABEL)) {
            return false;
        }
        Map<String, String> rest = new LinkedHashMap<>(labels);
        rest.remove(MANAGED_BY_LABEL);
        rest.remove(HEADLESS_LABEL);
        Map<String, String> expected = new LinkedHashMap<>(service.labels());
        expected.remove(HEADLESS_LABEL);
        expected.remove(MANAGED_BY_LABEL);
        return rest.equals(expected);
    }

    private ObjectNode desired(ServiceInfo service, Optional<ObjectNode> current, List<Subset> subsets,
                               List<EndpointPod> pods) {
        ObjectNode next = current.map(ObjectNode::deepCopy).orElseGet(() -> {
            ObjectNode created = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "Endpoints");
            created.putObject("metadata").put("name", service.name()).put("namespace", service.namespace());
            return created;
        });
        ObjectNode metadata = Meta.of(next);
        ObjectNode labels = metadata.putObject("labels");
        service.labels().forEach(labels::put);
        labels.put(MANAGED_BY_LABEL, CONTROLLER_NAME);
        if (service.hasClusterIP()) {
            labels.remove(HEADLESS_LABEL);
        } else {
            labels.put(HEADLESS_LABEL, "");
        }
        ObjectNode annotations = metadata.path("annotations") instanceof ObjectNode existing ? existing
                : metadata.putObject("annotations");
        Instant previous = TriggerTime.parse(annotations.path(TriggerTime.ANNOTATION).asText(""));
        Optional<Instant> trigger = TriggerTime.compute(service, pods, previous, current.isPresent());
        if (trigger.isPresent()) {
            annotations.put(TriggerTime.ANNOTATION, trigger.get().toString());
        } else {
            annotations.remove(TriggerTime.ANNOTATION);
        }
        List<Subset> truncated = EndpointSubsets.truncate(subsets);
        if (truncated != subsets) {
            annotations.put(OVER_CAPACITY_ANNOTATION, "truncated");
        } else {
            annotations.remove(OVER_CAPACITY_ANNOTATION);
        }
        if (annotations.isEmpty()) {
            metadata.remove("annotations");
        }
        if (truncated.isEmpty()) {
            next.remove("subsets"); // as kube writes it: an empty list is omitted
        } else {
            next.set("subsets", EndpointSubsets.toJson(truncated));
        }
        return next;
    }

    private Result write(ServiceInfo service, ObjectNode next, boolean create, List<Subset> subsets) {
        try {
            if (create) {
                client.create(ResourceType.ENDPOINTS, service.namespace(), next);
            } else {
                client.update(ResourceType.ENDPOINTS, next);
            }
            int ready = subsets.stream().mapToInt(s -> s.addresses().size()).sum();
            LOG.atInfo().addKeyValue("namespace", service.namespace()).addKeyValue("service", service.name())
                    .addKeyValue("readyAddresses", ready)
                    .addKeyValue("notReadyAddresses", EndpointSubsets.count(subsets) - ready)
                    .log(create ? "created endpoints" : "updated endpoints");
            return Result.DONE;
        } catch (ApiError e) {
            if (create && e.code() == 403 && e.hasCause("NamespaceTerminating")) {
                return Result.DONE; // creates keep failing in a terminating namespace: nothing to do
            }
            if (e.isConflict()) {
                // Written meanwhile (a concurrent sync, or created by another): read again shortly.
                LOG.atInfo().addKeyValue("namespace", service.namespace()).addKeyValue("service", service.name())
                        .addKeyValue("reason", e.reason()).log("endpoints changed meanwhile: syncing again");
                return Result.requeueAfter(CONFLICT_RETRY);
            }
            if (create) {
                context.events().warning(next, "FailedToCreateEndpoint", "Failed to create endpoint for service "
                        + service.namespace() + "/" + service.name() + ": " + e.getMessage());
            } else {
                context.events().warning(next, "FailedToUpdateEndpoint", "Failed to update endpoint "
                        + service.namespace() + "/" + service.name() + ": " + e.getMessage());
            }
            throw e;
        }
    }

    @Override
    public Set<String> servicesListing(String namespace, String podName) {
        Set<String> services = new TreeSet<>();
        for (ObjectNode endpoints : client.list(ResourceType.ENDPOINTS, namespace,
                MANAGED_BY_LABEL + "=" + CONTROLLER_NAME, "")) {
            for (JsonNode subset : endpoints.path("subsets")) {
                for (String field : List.of("addresses", "notReadyAddresses")) {
                    for (JsonNode address : subset.path(field)) {
                        JsonNode ref = address.path("targetRef");
                        if (ref.path("kind").asText().equals("Pod") && ref.path("name").asText().equals(podName)) {
                            services.add(Meta.name(endpoints));
                        }
                    }
                }
            }
        }
        return services;
    }
}
