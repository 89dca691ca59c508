package dev.kumo.node.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ports of a Service the proxier routes, as kube-proxy reads them: none for a headless Service
 * ({@code clusterIP: None}), one without a ClusterIP, an ExternalName Service or one whose ClusterIP is not IPv4
 * (kumo's proxier is IPv4 only); otherwise one {@link ServicePort} per {@code spec.ports} entry.
 */
public final class ServicePorts {
    /** Kubernetes' default ClientIP affinity timeout (3 hours). */
    static final int DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10_800;

    private ServicePorts() {
    }

    public static List<ServicePort> of(ObjectNode service) {
        JsonNode spec = service.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        String clusterIp = spec.path("clusterIP").asText("");
        if ("ExternalName".equals(type) || clusterIp.isEmpty() || "None".equals(clusterIp) || !isIpv4(clusterIp)) {
            return List.of();
        }
        List<String> externalIps = ipv4s(spec.path("externalIPs"), null);
        List<String> loadBalancerIps = "LoadBalancer".equals(type)
                ? ipv4s(service.path("status").path("loadBalancer").path("ingress"), "ip") : List.of();
        int affinityTimeout = "ClientIP".equals(spec.path("sessionAffinity").asText("None"))
                ? spec.path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds")
                        .asInt(DEFAULT_AFFINITY_TIMEOUT_SECONDS) : 0;
        boolean externallyAccessible = "LoadBalancer".equals(type) || "NodePort".equals(type)
                || ("ClusterIP".equals(type) && !externalIps.isEmpty());
        boolean internalLocal = "Local".equals(spec.path("internalTrafficPolicy").asText("Cluster"));
        boolean externalLocal = externallyAccessible
                && "Local".equals(spec.path("externalTrafficPolicy").asText("Cluster"));
        List<ServicePort> ports = new ArrayList<>();
        for (JsonNode port : spec.path("ports")) {
            ports.add(new ServicePort(Meta.namespace(service), Meta.name(service), port.path("name").asText(""),
                    protocol(port), clusterIp, port.path("port").asInt(), port.path("nodePort").asInt(0), externalIps,
                    loadBalancerIps, affinityTimeout, internalLocal, externalLocal));
        }
        return ports;
    }

    /** A port's protocol as nftables names it ({@code TCP} when unset, as the API defaults it). */
    static String protocol(JsonNode port) {
        return port.path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
    }

    static boolean isIpv4(String address) {
        return !address.isEmpty() && address.indexOf(':') < 0 && address.chars().allMatch(c -> c == '.'
                || (c >= '0' && c <= '9'));
    }

    private static List<String> ipv4s(JsonNode array, String field) {
        List<String> ips = new ArrayList<>();
        for (JsonNode item : array) {
            String ip = field == null ? item.asText("") : item.path(field).asText("");
            if (isIpv4(ip)) {
                ips.add(ip);
            }
        }
        return ips;
    }
}
