package dev.kumo.controllers.endpointslice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.endpoints.EndpointPod;
import dev.kumo.controllers.endpoints.EndpointSubsets.Port;
import dev.kumo.controllers.endpoints.ServiceInfo;
import dev.kumo.controllers.endpoints.ServiceSync;
import dev.kumo.controllers.endpoints.TriggerTime;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * kube's EndpointSlice controller {@code syncService} for one service: reads the service's slices (those labelled
 * as this controller's for the service), then its pods, plans per address type with {@link SlicePlanner}, and
 * writes creates, updates and deletes. Each endpoint carries ready/serving/terminating (terminating pods stay, not
 * ready), the node and its {@code topology.kubernetes.io/zone}, the hostname for a headless subdomain, and the pod.
 * A pod on a node that does not exist is left out and the service looked at again later (unless
 * publishNotReadyAddresses). A deleted service needs nothing: its slices are owned by it and the garbage
 * collector removes them.
 */
public final class EndpointSliceSync implements ServiceSync {
    public static final int MAX_ENDPOINTS_PER_SLICE = 100;
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    /** After its own creates, how soon the service is looked at again (kube's endpointSliceChangeMinSyncDelay). */
    static final Duration AFTER_CREATE = Duration.ofSeconds(1);
    static final Duration CONFLICT_RETRY = Duration.ofSeconds(1);
    /** How soon a service with a pod on a missing node is looked at again. */
    static final Duration MISSING_NODE_RETRY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(EndpointSliceSync.class);

    private final ControllerContext context;
    private final KubeClient client;
    private final SlicePlanner planner;

    public EndpointSliceSync(ControllerContext context, int maxEndpointsPerSlice) {
        this.context = context;
        this.client = context.client();
        this.planner = new SlicePlanner(maxEndpointsPerSlice);
    }

    @Override
    public Result sync(String namespace, String name, Optional<ServiceInfo> found) {
        if (found.isEmpty() || !found.get().managesEndpoints()) {
            return Result.DONE;
        }
        ServiceInfo service = found.get();
        // Slices first, pods after: see ServicePodsReconciler.
        List<Slice> existing = client.list(ResourceType.ENDPOINT_SLICES, namespace,
                        Slice.SERVICE_NAME_LABEL + "=" + name + "," + Slice.MANAGED_BY_LABEL + "=" + Slice.CONTROLLER_NAME,
                        "").stream()
                .filter(slice -> !Meta.isBeingDeleted(slice)).map(Slice::read).toList();
        List<EndpointPod> pods = client.list(ResourceType.PODS, namespace, service.selectorString(), "").stream()
                .map(EndpointPod::of).toList();
        Set<String> addressTypes = addressTypes(service);
        List<Slice> create = new ArrayList<>();
        List<Slice> update = new ArrayList<>();
        List<Slice> delete = new ArrayList<>(existing.stream()
                .filter(slice -> !addressTypes.contains(slice.addressType())).toList());
        Map<String, Optional<ObjectNode>> nodes = new HashMap<>();
        boolean missingNode = false;
        for (String addressType : addressTypes) {
            Map<String, SlicePlanner.Group> desired = new LinkedHashMap<>();
            for (EndpointPod pod : pods) {
                if (!pod.belongsInEndpoints(true)) {
                    continue;
                }
                List<Port> ports = pod.portsFor(service);
                SlicePlanner.Group group = desired.computeIfAbsent(SlicePlanner.portsKey(ports),
                        k -> new SlicePlanner.Group(ports, new TreeMap<>()));
                Optional<ObjectNode> node = nodes.computeIfAbsent(pod.nodeName(), this::node);
                if (node.isEmpty() && !service.publishNotReadyAddresses()) {
                    LOG.atInfo().addKeyValue("namespace", namespace).addKeyValue("service", name)
                            .addKeyValue("pod", pod.name()).addKeyValue("node", pod.nodeName())
                            .log("skipping pod for service, node not found");
                    missingNode = true;
                    continue;
                }
                SliceEndpoint endpoint = endpoint(pod, node.orElse(null), service, addressType);
                if (!endpoint.addresses().isEmpty()) {
                    group.endpoints().put(endpoint.key(), endpoint);
                }
            }
            List<Slice> ofType = existing.stream().filter(s -> s.addressType().equals(addressType)).toList();
            SlicePlanner.Plan plan = planner.plan(service, addressType, ofType, desired);
            create.addAll(plan.create());
            update.addAll(plan.update());
            delete.addAll(plan.delete());
        }
        Result result = write(service, existing, pods, create, update, delete);
        return missingNode ? result.orSooner(Result.requeueAfter(MISSING_NODE_RETRY)) : result;
    }

    private Optional<ObjectNode> node(String nodeName) {
        return nodeName.isEmpty() ? Optional.empty() : client.get(ResourceType.NODES, "", nodeName);
    }

    /** kube's {@code getAddressTypesForService}: the service's families, else its cluster IP's, else both. */
    private static Set<String> addressTypes(ServiceInfo service) {
        Set<String> types = new TreeSet<>();
        for (String family : service.ipFamilies()) {
            if (family.equals("IPv4") || family.equals("IPv6")) {
                types.add(family);
            }
        }
        if (types.isEmpty()) {
            if (service.hasClusterIP()) {
                types.add(service.clusterIP().contains(":") ? "IPv6" : "IPv4");
            } else {
                types.addAll(List.of("IPv4", "IPv6"));
            }
        }
        return types;
    }

    /** kube's {@code podToEndpoint}. */
    private static SliceEndpoint endpoint(EndpointPod pod, ObjectNode node, ServiceInfo service, String addressType) {
        boolean serving = pod.ready();
        boolean terminating = pod.terminating();
        // Never ready while terminating, unless publishNotReadyAddresses (compatibility with Endpoints).
        boolean ready = service.publishNotReadyAddresses() || serving && !terminating;
        String zone = node == null ? "" : node.path("metadata").path("labels").path(ZONE_LABEL).asText("");
        return new SliceEndpoint(pod.ipsOf(addressType), ready, serving, terminating,
                pod.hostnameFor(service), pod.nodeName(), zone, pod.targetRef());
    }

    private Result write(ServiceInfo service, List<Slice> existing, List<EndpointPod> pods, List<Slice> create,
                         List<Slice> update, List<Slice> delete) {
        if (create.isEmpty() && update.isEmpty() && delete.isEmpty()) {
            return Result.DONE;
        }
        Instant previous = existing.stream()
                .map(s -> TriggerTime.parse(s.base().path("metadata").path("annotations")
                        .path(TriggerTime.ANNOTATION).asText("")))
                .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(null);
        Optional<Instant> trigger = TriggerTime.compute(service, pods, previous, !existing.isEmpty());
        int created = 0;
        try {
            // No new slices for a service being deleted: the garbage collector would race with them.
            if (!service.deleting()) {
                for (Slice slice : create) {
                    client.create(ResourceType.ENDPOINT_SLICES, service.namespace(), annotated(slice, trigger));
                    created++;
                }
            }
            for (Slice slice : update) {
                client.update(ResourceType.ENDPOINT_SLICES, annotated(slice, trigger));
            }
            for (Slice slice : delete) {
                client.delete(ResourceType.ENDPOINT_SLICES, service.namespace(), slice.name(), null,
                        Meta.uid(slice.base()));
            }
        } catch (ApiError e) {
            if (e.code() == 403 && e.hasCause("NamespaceTerminating")) {
                return Result.DONE;
            }
            if (e.isConflict()) {
                LOG.atInfo().addKeyValue("namespace", service.namespace()).addKeyValue("service", service.name())
                        .addKeyValue("reason", e.reason()).log("endpoint slices changed meanwhile: syncing again");
                return Result.requeueAfter(CONFLICT_RETRY);
            }
            context.events().warning(service.object(), "FailedToUpdateEndpointSlices",
                    "Error updating Endpoint Slices for Service " + service.namespace() + "/" + service.name()
                            + ": " + e.getMessage());
            throw e;
        }
        LOG.atInfo().addKeyValue("namespace", service.namespace()).addKeyValue("service", service.name())
                .addKeyValue("created", created).addKeyValue("updated", update.size())
                .addKeyValue("deleted", delete.size()).log("endpoint slices written");
        // Two syncs of one service may run at once (its own key and a pod's): a look after creating removes an
        // endpoint both of them placed in a new slice.
        return created > 0 ? Result.requeueAfter(AFTER_CREATE) : Result.DONE;
    }

    private static ObjectNode annotated(Slice slice, Optional<Instant> trigger) {
        ObjectNode json = slice.toJson();
        ObjectNode metadata = Meta.of(json);
        ObjectNode annotations = metadata.path("annotations") instanceof ObjectNode a ? a
                : metadata.putObject("annotations");
        if (trigger.isPresent()) {
            annotations.put(TriggerTime.ANNOTATION, trigger.get().toString());
        } else {
            annotations.remove(TriggerTime.ANNOTATION);
        }
        if (annotations.isEmpty()) {
            metadata.remove("annotations");
        }
        return json;
    }

    @Override
    public Set<String> servicesListing(String namespace, String podName) {
        Set<String> services = new TreeSet<>();
        for (ObjectNode object : client.list(ResourceType.ENDPOINT_SLICES, namespace,
                Slice.MANAGED_BY_LABEL + "=" + Slice.CONTROLLER_NAME, "")) {
            Slice slice = Slice.read(object);
            String service = slice.labels().getOrDefault(Slice.SERVICE_NAME_LABEL, "");
            if (!service.isEmpty() && slice.endpoints().stream().anyMatch(e -> e.targets(podName))) {
                services.add(service);
            }
        }
        return services;
    }
}
