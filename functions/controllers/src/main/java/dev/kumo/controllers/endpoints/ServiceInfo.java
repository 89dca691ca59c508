package dev.kumo.controllers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.Labels;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What the endpoints controllers read from a Service: its identity, labels, selector (empty when it has none: such
 * a service's endpoints are managed by someone else), ports, cluster IP and families, and
 * {@code publishNotReadyAddresses}.
 */
public record ServiceInfo(ObjectNode object, String namespace, String name, String uid, Map<String, String> labels,
                          Map<String, String> selector, List<ServicePort> ports, String clusterIP,
                          List<String> ipFamilies, boolean publishNotReadyAddresses, String type, boolean deleting,
                          Instant created) {
    public static final String CLUSTER_IP_NONE = "None";

    public static ServiceInfo of(ObjectNode service) {
        JsonNode spec = service.path("spec");
        Map<String, String> selector = new LinkedHashMap<>();
        spec.path("selector").properties().forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
        List<ServicePort> ports = new ArrayList<>();
        spec.path("ports").forEach(port -> ports.add(ServicePort.of(port)));
        List<String> families = new ArrayList<>();
        spec.path("ipFamilies").forEach(family -> families.add(family.asText()));
        String created = service.path("metadata").path("creationTimestamp").asText("");
        return new ServiceInfo(service, Meta.namespace(service), Meta.name(service), Meta.uid(service),
                Labels.of(service), selector, List.copyOf(ports), spec.path("clusterIP").asText(""),
                List.copyOf(families), spec.path("publishNotReadyAddresses").asBoolean(false),
                spec.path("type").asText("ClusterIP"), Meta.isBeingDeleted(service),
                created.isEmpty() ? null : Instant.parse(created));
    }

    /**
     * Whether the controllers manage this service's endpoints: it has a selector (an absent or empty one means its
     * endpoints come from elsewhere) and is not an ExternalName service.
     */
    public boolean managesEndpoints() {
        return !selector.isEmpty() && !type.equals("ExternalName");
    }

    public boolean selects(Map<String, String> podLabels) {
        return managesEndpoints() && selector.entrySet().stream()
                .allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())));
    }

    /** The selector as a label selector string, for listing the pods. */
    public String selectorString() {
        StringJoiner joined = new StringJoiner(",");
        selector.forEach((key, value) -> joined.add(key + "=" + value));
        return joined.toString();
    }

    /** {@code helper.IsServiceIPSet}: false for headless services. */
    public boolean hasClusterIP() {
        return !clusterIP.isEmpty() && !clusterIP.equals(CLUSTER_IP_NONE);
    }

    public boolean headless() {
        return clusterIP.equals(CLUSTER_IP_NONE);
    }

    /**
     * The IP family the Endpoints addresses use: the service's first family, else its cluster IP's, else (an
     * unset headless service) none, and the pod's own address decides.
     */
    public String primaryFamily() {
        if (!ipFamilies.isEmpty()) {
            return ipFamilies.getFirst();
        }
        if (hasClusterIP()) {
            return clusterIP.contains(":") ? "IPv6" : "IPv4";
        }
        return "";
    }
}
