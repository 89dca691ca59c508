package dev.kumo.node.probes;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a probe or hook acts on: the pod and the container's spec (for named ports), the pod's IP (where httpGet and
 * tcpSocket go unless they name a host) and the running container's id (where exec runs).
 */
public record ProbeTarget(JsonNode pod, JsonNode container, String podIp, String containerId) {

    public String containerName() {
        return container.path("name").asText();
    }

    /**
     * The kubelet's {@code ResolveContainerPort}: a number as it is, a name by the container's ports.
     *
     * @throws IllegalArgumentException for a name the container does not declare
     */
    int port(JsonNode port) {
        if (port.isNumber()) {
            return port.asInt();
        }
        String name = port.asText();
        for (JsonNode declared : container.path("ports")) {
            if (name.equals(declared.path("name").asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        throw new IllegalArgumentException("couldn't find port: " + name + " in " + containerName());
    }

    /** The host httpGet and tcpSocket reach: the action's own, else the pod's IP. */
    String host(JsonNode action) {
        String host = action.path("host").asText("");
        return host.isEmpty() ? podIp : host;
    }
}
