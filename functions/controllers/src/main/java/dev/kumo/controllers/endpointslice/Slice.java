package dev.kumo.controllers.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.controllers.endpoints.EndpointSubsets.Port;
import dev.kumo.controllers.endpoints.ServiceInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An EndpointSlice being planned: the object as read (or a new one, without a name), with its endpoints, ports and
 * labels held apart so that the planner can change them; {@link #toJson()} puts them back.
 */
final class Slice {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

    private final ObjectNode base;
    private final String addressType;
    private List<Port> ports;
    private Map<String, String> labels;
    private final List<SliceEndpoint> endpoints;

    private Slice(ObjectNode base, String addressType, List<Port> ports, Map<String, String> labels,
                  List<SliceEndpoint> endpoints) {
        this.base = base;
        this.addressType = addressType;
        this.ports = ports;
        this.labels = labels;
        this.endpoints = endpoints;
    }

    static Slice read(ObjectNode slice) {
        List<SliceEndpoint> endpoints = new ArrayList<>();
        slice.path("endpoints").forEach(endpoint -> endpoints.add(SliceEndpoint.fromJson(endpoint)));
        return new Slice(slice, slice.path("addressType").asText(""), Port.listFromJson(slice.path("ports")),
                new LinkedHashMap<>(Labels.of(slice)), endpoints);
    }

    /** kube's {@code newEndpointSlice}: generateName {@code <service>-}, owned by the service, its labels. */
    static Slice create(ServiceInfo service, List<Port> ports, String addressType) {
        ObjectNode base = JsonNodeFactory.instance.objectNode().put("apiVersion", "discovery.k8s.io/v1")
                .put("kind", "EndpointSlice");
        ObjectNode metadata = base.putObject("metadata").put("generateName", service.name() + "-")
                .put("namespace", service.namespace());
        metadata.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Service")
                .put("name", service.name()).put("uid", service.uid()).put("controller", true)
                .put("blockOwnerDeletion", true);
        return new Slice(base, addressType, List.copyOf(ports), labelsFor(Map.of(), service).labels(),
                new ArrayList<>());
    }

    /** The labels a slice of {@code service} must have, and whether its non-reserved ones differ from them. */
    record DesiredLabels(Map<String, String> labels, boolean changed) {
    }

    /** kube's {@code setEndpointSliceLabels}. */
    static DesiredLabels labelsFor(Map<String, String> current, ServiceInfo service) {
        Map<String, String> sliceLabels = new LinkedHashMap<>();
        current.forEach((key, value) -> {
            if (!reserved(key)) {
                sliceLabels.put(key, value);
            }
        });
        Map<String, String> desired = new LinkedHashMap<>();
        service.labels().forEach((key, value) -> {
            if (!reserved(key)) {
                desired.put(key, value);
            }
        });
        boolean changed = !sliceLabels.equals(desired);
        if (!service.hasClusterIP()) {
            desired.put(HEADLESS_LABEL, "");
        }
        desired.put(SERVICE_NAME_LABEL, service.name());
        desired.put(MANAGED_BY_LABEL, CONTROLLER_NAME);
        return new DesiredLabels(desired, changed);
    }

    private static boolean reserved(String label) {
        return label.equals(SERVICE_NAME_LABEL) || label.equals(MANAGED_BY_LABEL) || label.equals(HEADLESS_LABEL);
    }

    /** A copy to change, keeping this one as read. */
    Slice copy() {
        return new Slice(base, addressType, ports, new LinkedHashMap<>(labels), new ArrayList<>(endpoints));
    }

    String name() {
        return Meta.name(base);
    }

    boolean isNew() {
        return name().isEmpty();
    }

    String addressType() {
        return addressType;
    }

    List<Port> ports() {
        return ports;
    }

    List<SliceEndpoint> endpoints() {
        return endpoints;
    }

    Map<String, String> labels() {
        return labels;
    }

    void setLabels(Map<String, String> labels) {
        this.labels = new LinkedHashMap<>(labels);
    }

    ObjectNode base() {
        return base;
    }

    /** kube's {@code ownedBy}: a Service owner reference with the service's uid. */
    boolean ownedBy(ServiceInfo service) {
        for (JsonNode owner : base.path("metadata").path("ownerReferences")) {
            if (owner.path("uid").asText().equals(service.uid()) && owner.path("kind").asText().equals("Service")
                    && owner.path("apiVersion").asText().equals("v1")) {
                return true;
            }
        }
        return false;
    }

    /**
     * This (existing) slice with the content of {@code replacement}: kube turns a create plus a delete into an
     * update of the slice it would delete. Its name, uid and resourceVersion stay, so the write is still checked.
     */
    Slice takeContentOf(Slice replacement) {
        ObjectNode merged = base.deepCopy();
        ObjectNode metadata = Meta.of(merged);
        metadata.set("ownerReferences", replacement.base.path("metadata").path("ownerReferences").deepCopy());
        return new Slice(merged, addressType, replacement.ports, new LinkedHashMap<>(replacement.labels),
                new ArrayList<>(replacement.endpoints));
    }

    ObjectNode toJson() {
        ObjectNode slice = base.deepCopy();
        ObjectNode metadata = Meta.of(slice);
        ObjectNode labelNode = metadata.putObject("labels");
        labels.forEach(labelNode::put);
        slice.put("addressType", addressType);
        slice.set("ports", portsJson(ports));
        var array = slice.putArray("endpoints");
        endpoints.forEach(endpoint -> array.add(endpoint.toJson()));
        return slice;
    }

    /** The slice's {@code ports}: the name always (kube sets it, empty included), appProtocol when set. */
    static ArrayNode portsJson(List<Port> ports) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Port port : ports) {
            ObjectNode node = array.addObject().put("name", port.name()).put("port", port.port())
                    .put("protocol", port.protocol());
            if (!port.appProtocol().isEmpty()) {
                node.put("appProtocol", port.appProtocol());
            }
        }
        return array;
    }
}
