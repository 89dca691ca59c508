package dev.kumo.node.proxy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kumo.controllers.testing.TestCluster.object;
import static dev.kumo.node.proxy.ProxyFixtures.service;
import static dev.kumo.node.proxy.ProxyFixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

/** What the proxier reads from Services and EndpointSlices ({@link ServicePorts}, {@link EndpointSlices}). */
class ServiceInputsTest {

    @Test
    void servicesWithoutAnIpv4ClusterIpHaveNoPorts() {
        String http = "[{\"name\": \"http\", \"port\": 80}]";
        assertThat(ServicePorts.of(service("headless", "None", http, ""))).isEmpty();
        assertThat(ServicePorts.of(service("pending", "", http, ""))).isEmpty();
        assertThat(ServicePorts.of(service("v6", "fd00::10", http, ""))).isEmpty();
        assertThat(ServicePorts.of(service("ext", "10.96.0.9", http, "\"type\": \"ExternalName\""))).isEmpty();
    }

    @Test
    void aServicePortCarriesItsProtocolNodePortAffinityAndPolicies() {
        List<ServicePort> ports = ServicePorts.of(service("web", "10.96.0.10",
                "[{\"name\": \"http\", \"port\": 80, \"nodePort\": 30080}, {\"port\": 53, \"protocol\": \"UDP\"}]",
                "\"type\": \"NodePort\", \"externalTrafficPolicy\": \"Local\", \"sessionAffinity\": \"ClientIP\","
                        + " \"externalIPs\": [\"192.0.2.1\", \"2001:db8::1\"]"));

        assertThat(ports).containsExactly(
                new ServicePort("default", "web", "http", "tcp", "10.96.0.10", 80, 30080, List.of("192.0.2.1"),
                        List.of(), 10_800, false, true),
                new ServicePort("default", "web", "", "udp", "10.96.0.10", 53, 0, List.of("192.0.2.1"),
                        List.of(), 10_800, false, true));
        assertThat(ports.get(0).displayName()).isEqualTo("default/web:http");
        assertThat(ports.get(1).displayName()).isEqualTo("default/web");
        assertThat(ServicePorts.of(service("c", "10.96.0.11", "[{\"port\": 80}]", "\"externalTrafficPolicy\": \"Local\""))
                .get(0).externalPolicyLocal()).as("not externally accessible").isFalse();
    }

    @Test
    void slicesGiveEndpointsPerServicePortWithTheApisDefaultConditions() {
        Map<ServicePort.EndpointKey, List<Endpoint>> endpoints = EndpointSlices.byServicePort(List.of(
                slice("web-1", "web", "[{\"name\": \"http\", \"port\": 8080}, {\"name\": \"none\"}]", """
                        [{"addresses": ["10.244.0.2"], "nodeName": "n1"},
                         {"addresses": ["10.244.0.3"], "conditions": {"ready": false}},
                         {"addresses": ["10.244.0.4"], "conditions": {"ready": false, "serving": true,
                          "terminating": true}},
                         {"addresses": []}]"""),
                slice("web-2", "web", "[{\"name\": \"http\", \"port\": 8080}]",
                        "[{\"addresses\": [\"10.244.0.2\"], \"nodeName\": \"n1\"}]"),
                object("""
                        {"metadata": {"name": "web-v6", "namespace": "default",
                                      "labels": {"kubernetes.io/service-name": "web"}},
                         "addressType": "IPv6", "ports": [{"name": "http", "port": 8080}],
                         "endpoints": [{"addresses": ["fd00::2"]}]}"""),
                object("""
                        {"metadata": {"name": "orphan", "namespace": "default"}, "addressType": "IPv4",
                         "ports": [{"name": "http", "port": 8080}], "endpoints": [{"addresses": ["10.244.0.9"]}]}""")));

        assertThat(endpoints).containsOnlyKeys(new ServicePort.EndpointKey("default", "web", "http", "tcp"));
        assertThat(endpoints.values().iterator().next()).containsExactly(
                new Endpoint("10.244.0.2", 8080, true, true, false, "n1"),
                new Endpoint("10.244.0.3", 8080, false, false, false, ""),
                new Endpoint("10.244.0.4", 8080, false, true, true, ""));
    }
}
