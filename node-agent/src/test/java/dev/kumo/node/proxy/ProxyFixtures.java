package dev.kumo.node.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static dev.kumo.controllers.testing.TestCluster.object;

/** Services and EndpointSlices as the API serves them, written short. */
final class ProxyFixtures {
    private ProxyFixtures() {
    }

    /** A ClusterIP Service {@code default/<name>} on {@code clusterIp} with {@code portsJson} and extra spec fields. */
    static ObjectNode service(String name, String clusterIp, String portsJson, String extraSpec) {
        return object("""
                {"apiVersion": "v1", "kind": "Service",
                 "metadata": {"name": "%s", "namespace": "default"},
                 "spec": {"clusterIP": "%s", "ports": %s %s}}"""
                .formatted(name, clusterIp, portsJson, extraSpec.isEmpty() ? "" : ", " + extraSpec));
    }

    /** An IPv4 EndpointSlice of Service {@code default/<service>} with {@code portsJson} and endpoints. */
    static ObjectNode slice(String name, String service, String portsJson, String endpointsJson) {
        return object("""
                {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                 "metadata": {"name": "%s", "namespace": "default",
                              "labels": {"kubernetes.io/service-name": "%s"}},
                 "addressType": "IPv4", "ports": %s, "endpoints": %s}"""
                .formatted(name, service, portsJson, endpointsJson));
    }

    /** An endpoint on {@code node} with the given readiness (serving follows it, not terminating). */
    static String endpoint(String ip, String node, boolean ready) {
        return """
                {"addresses": ["%s"], "nodeName": "%s", "conditions": {"ready": %s}}""".formatted(ip, node, ready);
    }
}
