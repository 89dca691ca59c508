package dev.kumo.controllers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a Service's {@code spec.ports}: its name, protocol (TCP when unset, as the API defaults it), and
 * target port, a number or the name of a container port.
 */
public record ServicePort(String name, String protocol, int port, int targetNumber, String targetName,
                          String appProtocol) {

    static ServicePort of(JsonNode port) {
        JsonNode target = port.path("targetPort");
        int number = port.path("port").asInt(0);
        String targetName = target.isTextual() ? target.asText() : "";
        int targetNumber = target.isNumber() ? target.asInt() : target.isMissingNode() || target.isNull() ? number : 0;
        String appProtocol = port.path("appProtocol").asText("");
        return new ServicePort(port.path("name").asText(""), port.path("protocol").asText("TCP"), number,
                targetNumber, targetName, appProtocol);
    }

    public boolean targetsName() {
        return !targetName.isEmpty();
    }
}
