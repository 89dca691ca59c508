package dev.kumo.node.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The endpoints of every service port, merged from the EndpointSlices of the Services (kube-proxy's
 * {@code EndpointSliceCache}): a slice belongs to the Service its {@code kubernetes.io/service-name} label names;
 * only {@code IPv4} slices count; each slice port gives the endpoints of the service port of the same name and
 * protocol; an endpoint is its first address; an address and port listed by two slices counts once.
 */
public final class EndpointSlices {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private EndpointSlices() {
    }

    public static Map<ServicePort.EndpointKey, List<Endpoint>> byServicePort(Collection<ObjectNode> slices) {
        Map<ServicePort.EndpointKey, List<Endpoint>> endpoints = new HashMap<>();
        Map<ServicePort.EndpointKey, Set<String>> seen = new HashMap<>();
        for (ObjectNode slice : sorted(slices)) {
            String service = slice.path("metadata").path("labels").path(SERVICE_NAME_LABEL).asText("");
            if (service.isEmpty() || !"IPv4".equals(slice.path("addressType").asText(""))) {
                continue;
            }
            for (JsonNode port : slice.path("ports")) {
                if (!port.path("port").canConvertToInt() || port.path("port").isNull()) {
                    continue; // a slice port without a number matches no service port
                }
                ServicePort.EndpointKey key = new ServicePort.EndpointKey(Meta.namespace(slice), service,
                        port.path("name").asText(""), ServicePorts.protocol(port));
                for (JsonNode endpoint : slice.path("endpoints")) {
                    Endpoint parsed = endpoint(endpoint, port.path("port").asInt());
                    if (parsed != null && seen.computeIfAbsent(key, k -> new HashSet<>()).add(parsed.address())) {
                        endpoints.computeIfAbsent(key, k -> new ArrayList<>()).add(parsed);
                    }
                }
            }
        }
        return endpoints;
    }

    private static Endpoint endpoint(JsonNode endpoint, int port) {
        String ip = endpoint.path("addresses").path(0).asText("");
        if (!ServicePorts.isIpv4(ip)) {
            return null;
        }
        JsonNode conditions = endpoint.path("conditions");
        boolean ready = conditions.path("ready").asBoolean(true);
        boolean serving = conditions.path("serving").asBoolean(ready);
        boolean terminating = conditions.path("terminating").asBoolean(false);
        return new Endpoint(ip, port, ready, serving, terminating, endpoint.path("nodeName").asText(""));
    }

    /** Slices by name, so that the same slices always give endpoints in the same order (and the same rules). */
    private static List<ObjectNode> sorted(Collection<ObjectNode> slices) {
        List<ObjectNode> list = new ArrayList<>(slices);
        list.sort((a, b) -> (Meta.namespace(a) + "/" + Meta.name(a)).compareTo(Meta.namespace(b) + "/" + Meta.name(b)));
        return list;
    }
}
