package dev.kumo.apiserver.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.kubelet.KubeletApi;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apiserver.errors.ApiException;

import java.util.List;

/**
 * Where a node's kubelet endpoint is and which certificate it must present: the node's address (by
 * kube-apiserver's default {@code --kubelet-preferred-address-types} order), {@code daemonEndpoints.kubeletEndpoint}
 * and the certificate digest the node published ({@link KubeletApi#SERVING_CERTIFICATE_ANNOTATION}).
 */
record NodeEndpoint(String node, String host, int port, String certificateSha256) {
    private static final List<String> ADDRESS_TYPES = List.of("Hostname", "InternalDNS", "InternalIP",
            "ExternalDNS", "ExternalIP");

    static NodeEndpoint of(ObjectNode node) {
        String name = Meta.name(node);
        int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        if (port <= 0) {
            throw ApiException.badRequest("node \"" + name + "\" serves no kubelet endpoint (its port is 0): its "
                    + "agent runs no containers (simulated runtime) or does not serve logs, exec and port-forward");
        }
        String sha256 = node.path("metadata").path("annotations").path(KubeletApi.SERVING_CERTIFICATE_ANNOTATION)
                .asText("");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw ApiException.badRequest("node \"" + name + "\" has not published the certificate of its kubelet "
                    + "endpoint (annotation " + KubeletApi.SERVING_CERTIFICATE_ANNOTATION + ")");
        }
        return new NodeEndpoint(name, address(node, name), port, sha256);
    }

    /** kube-apiserver's default preference, except that a Hostname that is the node's bare name is skipped (an
     *  agent's name need not resolve). */
    private static String address(ObjectNode node, String name) {
        for (String type : ADDRESS_TYPES) {
            for (JsonNode address : node.path("status").path("addresses")) {
                String value = address.path("address").asText("");
                if (type.equals(address.path("type").asText()) && !value.isEmpty()
                        && !(type.equals("Hostname") && value.equals(name))) {
                    return value;
                }
            }
        }
        throw ApiException.badRequest("node \"" + name + "\" has no address");
    }

    String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
