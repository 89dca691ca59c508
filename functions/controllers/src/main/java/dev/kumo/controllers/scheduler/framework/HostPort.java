package dev.kumo.controllers.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A container port bound on the node ({@code hostPort > 0}); an empty IP is 0.0.0.0, an empty protocol TCP. */
public record HostPort(String ip, String protocol, int port) {
    public static final String ALL_IPS = "0.0.0.0";

    public HostPort {
        ip = ip.isEmpty() ? ALL_IPS : ip;
        protocol = protocol.isEmpty() ? "TCP" : protocol;
    }

    /** The host ports of the pod's containers, as kube-scheduler's NodePorts reads them. */
    public static List<HostPort> of(JsonNode pod) {
        List<HostPort> ports = new ArrayList<>();
        for (JsonNode container : pod.path("spec").path("containers")) {
            for (JsonNode port : container.path("ports")) {
                int hostPort = port.path("hostPort").asInt(0);
                if (hostPort > 0) {
                    ports.add(new HostPort(port.path("hostIP").asText(""), port.path("protocol").asText(""),
                            hostPort));
                }
            }
        }
        return List.copyOf(ports);
    }

    /** Same protocol and port, and an overlapping address (0.0.0.0 overlaps every address). */
    public boolean conflictsWith(HostPort other) {
        return port == other.port && protocol.equals(other.protocol)
                && (ip.equals(other.ip) || ip.equals(ALL_IPS) || other.ip.equals(ALL_IPS));
    }
}
