package dev.kumo.controllers.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One port of an EndpointSlice ({@code discovery/v1 EndpointPort}). */
record SlicePort(String name, int port, String protocol, String appProtocol) {
    private static final Comparator<SlicePort> ORDER = Comparator.comparing(SlicePort::name)
            .thenComparingInt(SlicePort::port).thenComparing(SlicePort::protocol)
            .thenComparing(SlicePort::appProtocol);

    static List<SlicePort> fromJson(JsonNode ports) {
        List<SlicePort> parsed = new ArrayList<>();
        ports.forEach(port -> parsed.add(new SlicePort(port.path("name").asText(""), port.path("port").asInt(),
                port.path("protocol").asText("TCP"), port.path("appProtocol").asText(""))));
        return parsed;
    }

    /** kube's {@code PortMapKey}: the same ports in any order group together. */
    static String key(List<SlicePort> ports) {
        return ports.stream().sorted(ORDER).toList().toString();
    }

    static ArrayNode toJson(List<SlicePort> ports) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (SlicePort port : ports) {
            ObjectNode node = array.addObject().put("name", port.name()).put("port", port.port())
                    .put("protocol", port.protocol());
            if (!port.appProtocol().isEmpty()) {
                node.put("appProtocol", port.appProtocol());
            }
        }
        return array;
    }
}
