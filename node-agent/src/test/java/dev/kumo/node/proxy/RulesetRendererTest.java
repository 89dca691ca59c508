package dev.kumo.node.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.kumo.node.proxy.ProxyFixtures.endpoint;
import static dev.kumo.node.proxy.ProxyFixtures.service;
import static dev.kumo.node.proxy.ProxyFixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

class RulesetRendererTest {
    private static final String HTTP = "[{\"name\": \"http\", \"port\": 80, \"targetPort\": 8080, \"protocol\": \"TCP\"}]";
    private static final String SLICE_HTTP = "[{\"name\": \"http\", \"port\": 8080, \"protocol\": \"TCP\"}]";
    private static final ProxyConfig CONFIG = ProxyConfig.of("node-1", List.of("172.31.0.1"), "10.244.0.0/16", "");

    static Ruleset render(ProxyConfig config, List<ObjectNode> services, List<ObjectNode> slices) {
        List<ServicePort> ports = new ArrayList<>();
        services.forEach(s -> ports.addAll(ServicePorts.of(s)));
        return new RulesetRenderer(config).render(ports, EndpointSlices.byServicePort(slices));
    }

    private static List<String> render(List<ObjectNode> services, List<ObjectNode> slices) {
        return render(CONFIG, services, slices).lines();
    }

    private static final String WEB_SVC = "service-" + ChainNames.hashAndTruncate("default/web/tcp/http");

    private static String endpointChain(String service, String ip, int port) {
        return "endpoint-" + ChainNames.hashAndTruncate("default/" + service + "/tcp/http__" + ip + "/" + port);
    }

    @Test
    void podsTrafficBeyondThePrivateRangesIsMasqueradedAndNothingWithoutAClusterCidr() {
        assertThat(render(List.of(), List.of())).containsSubsequence(
                "add rule ip kumo nat-postrouting jump masquerading",
                "add rule ip kumo nat-postrouting ip saddr 10.244.0.0/16 jump pod-egress",
                "add rule ip kumo pod-egress ip daddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16 }"
                        + " return",
                "add rule ip kumo pod-egress masquerade fully-random");
        assertThat(render(ProxyConfig.of("node-1", List.of(), "", ""), List.of(), List.of()).lines())
                .noneMatch(line -> line.contains("pod-egress"));
    }

    @Test
    void theTableIsDeletedAndBuiltAgainInOneTransaction() {
        List<String> lines = render(List.of(), List.of());

        assertThat(lines.subList(0, 3)).containsExactly("add table ip kumo", "delete table ip kumo",
                "add table ip kumo { comment \"rules for kumo's service proxy\" ; }");
        assertThat(lines).contains(
                "add chain ip kumo nat-prerouting { type nat hook prerouting priority -100 ; policy accept ; }",
                "add chain ip kumo nat-output { type nat hook output priority -100 ; policy accept ; }",
                "add chain ip kumo nat-postrouting { type nat hook postrouting priority 100 ; policy accept ; }",
                "add rule ip kumo nat-prerouting jump services",
                "add rule ip kumo nat-postrouting jump masquerading",
                "add rule ip kumo filter-forward ct state new jump endpoints-check",
                "add rule ip kumo masquerading mark and 0x00004000 == 0 return",
                "add rule ip kumo masquerading mark set mark xor 0x00004000",
                "add rule ip kumo masquerading masquerade fully-random",
                "add rule ip kumo mark-for-masquerade mark set mark or 0x00004000",
                "add rule ip kumo services ip daddr . meta l4proto . th dport vmap @service-ips",
                "add rule ip kumo services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports",
                "add element ip kumo nodeport-ips { 172.31.0.1 }",
                "add rule ip kumo reject-chain reject");
        assertThat(RulesetRenderer.deleteTable()).isEqualTo("add table ip kumo\ndelete table ip kumo\n");
    }

    @Test
    void aClusterIpServiceSpreadsEvenlyOverItsReadyEndpointsOnly() {
        List<String> lines = render(List.of(service("web", "10.96.0.10", HTTP, "")),
                List.of(slice("web-abc", "web", SLICE_HTTP, "[%s, %s, %s]".formatted(
                        endpoint("10.244.1.5", "node-2", true), endpoint("10.244.0.2", "node-1", true),
                        endpoint("10.244.0.3", "node-1", false)))));

        String first = endpointChain("web", "10.244.0.2", 8080);
        String second = endpointChain("web", "10.244.1.5", 8080);
        assertThat(WEB_SVC).matches("service-[A-Z2-7]{8}-default/web/tcp/http");
        assertThat(lines).contains(
                "add chain ip kumo " + WEB_SVC,
                "add element ip kumo service-ips { 10.96.0.10 . tcp . 80 : goto " + WEB_SVC + " }",
                "add rule ip kumo " + WEB_SVC + " ip daddr 10.96.0.10 tcp dport 80 ip saddr != 10.244.0.0/16"
                        + " jump mark-for-masquerade",
                "add rule ip kumo " + WEB_SVC + " numgen random mod 2 vmap { 0 : goto " + first + ", 1 : goto "
                        + second + " }",
                "add rule ip kumo " + first + " ip saddr 10.244.0.2 jump mark-for-masquerade",
                "add rule ip kumo " + first + " meta l4proto tcp dnat to 10.244.0.2:8080",
                "add rule ip kumo " + second + " meta l4proto tcp dnat to 10.244.1.5:8080");
        assertThat(lines).noneMatch(l -> l.contains("10.244.0.3"));
        assertThat(lines).noneMatch(l -> l.startsWith("add element ip kumo no-endpoint-services"));
    }

    @Test
    void withoutReadyEndpointsServingTerminatingOnesAreUsedAndWithoutAnyTheClusterIpRejects() {
        String terminating = "{\"addresses\": [\"10.244.0.7\"], \"conditions\": {\"ready\": false, \"serving\": true,"
                + " \"terminating\": true}}";
        List<String> draining = render(List.of(service("web", "10.96.0.10", HTTP, "")),
                List.of(slice("web-abc", "web", SLICE_HTTP, "[%s, %s]".formatted(terminating,
                        endpoint("10.244.0.8", "node-1", false)))));
        assertThat(draining).contains("add rule ip kumo " + endpointChain("web", "10.244.0.7", 8080)
                + " meta l4proto tcp dnat to 10.244.0.7:8080");
        assertThat(draining).noneMatch(l -> l.contains("10.244.0.8"));

        List<String> none = render(List.of(service("web", "10.96.0.10", HTTP, "")),
                List.of(slice("web-abc", "web", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.0.8", "n", false)))));
        assertThat(none).contains("add element ip kumo no-endpoint-services { 10.96.0.10 . tcp . 80 : goto reject-chain }");
        assertThat(none).noneMatch(l -> l.startsWith("add element ip kumo service-ips") || l.contains(WEB_SVC));
    }

    @Test
    void headlessExternalNameAndIpless() {
        List<String> lines = render(List.of(
                service("headless", "None", HTTP, ""),
                service("empty", "", HTTP, ""),
                service("ext", "", HTTP, "\"type\": \"ExternalName\", \"externalName\": \"example.com\"")),
                List.of(slice("headless-1", "headless", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.0.2", "n", true)))));

        assertThat(lines).isEqualTo(render(List.of(), List.of()));
    }

    @Test
    void nodePortsGoThroughTheExternalChainWhichMasquerades() {
        List<String> lines = render(List.of(service("web", "10.96.0.10",
                        "[{\"name\": \"http\", \"port\": 80, \"nodePort\": 30080}]", "\"type\": \"NodePort\"")),
                List.of(slice("web-abc", "web", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.0.2", "node-1", true)))));

        String external = "external-" + ChainNames.hashAndTruncate("default/web/tcp/http");
        assertThat(lines).contains(
                "add element ip kumo service-nodeports { tcp . 30080 : goto " + external + " }",
                "add rule ip kumo " + external + " jump mark-for-masquerade",
                "add rule ip kumo " + external + " goto " + WEB_SVC);
    }

    @Test
    void aNodePortWithoutEndpointsRejects() {
        List<String> lines = render(List.of(service("web", "10.96.0.10",
                "[{\"name\": \"http\", \"port\": 80, \"nodePort\": 30080}]", "\"type\": \"NodePort\"")), List.of());

        assertThat(lines).contains("add element ip kumo no-endpoint-nodeports { tcp . 30080 : goto reject-chain }",
                "add element ip kumo no-endpoint-services { 10.96.0.10 . tcp . 80 : goto reject-chain }");
    }

    @Test
    void externalTrafficPolicyLocalUsesThisNodesEndpointsAndKeepsTheClientAddress() {
        List<String> lines = render(List.of(service("web", "10.96.0.10",
                        "[{\"name\": \"http\", \"port\": 80, \"nodePort\": 30080}]",
                        "\"type\": \"NodePort\", \"externalTrafficPolicy\": \"Local\"")),
                List.of(slice("web-abc", "web", SLICE_HTTP, "[%s, %s]".formatted(
                        endpoint("10.244.0.2", "node-1", true), endpoint("10.244.1.2", "node-2", true)))));

        String external = "external-" + ChainNames.hashAndTruncate("default/web/tcp/http");
        String local = "local-" + ChainNames.hashAndTruncate("default/web/tcp/http");
        assertThat(lines).contains(
                "add rule ip kumo " + external + " ip saddr 10.244.0.0/16 goto " + WEB_SVC,
                "add rule ip kumo " + external + " fib saddr type local jump mark-for-masquerade",
                "add rule ip kumo " + external + " fib saddr type local goto " + WEB_SVC,
                "add rule ip kumo " + external + " goto " + local,
                "add rule ip kumo " + local + " numgen random mod 1 vmap { 0 : goto "
                        + endpointChain("web", "10.244.0.2", 8080) + " }");
        assertThat(lines).doesNotContain("add rule ip kumo " + external + " jump mark-for-masquerade");
    }

    @Test
    void internalTrafficPolicyLocalWithoutLocalEndpointsDrops() {
        List<String> lines = render(List.of(service("web", "10.96.0.10", HTTP, "\"internalTrafficPolicy\": \"Local\"")),
                List.of(slice("web-abc", "web", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.1.2", "node-2", true)))));

        assertThat(lines).contains("add element ip kumo no-endpoint-services { 10.96.0.10 . tcp . 80 : drop }");
    }

    @Test
    void clientIpAffinityKeepsAClientOnItsEndpointForTheServicesTimeout() {
        List<String> lines = render(List.of(service("web", "10.96.0.10", HTTP,
                        "\"sessionAffinity\": \"ClientIP\", \"sessionAffinityConfig\": {\"clientIP\": {\"timeoutSeconds\": 60}}")),
                List.of(slice("web-abc", "web", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.0.2", "node-1", true)))));

        String endpoint = endpointChain("web", "10.244.0.2", 8080);
        String affinity = "affinity-" + endpoint.substring("endpoint-".length());
        assertThat(lines).containsSubsequence(
                "add set ip kumo " + affinity + " { type ipv4_addr ; flags dynamic,timeout ; timeout 60s ; }",
                "add rule ip kumo " + WEB_SVC + " ip saddr @" + affinity + " goto " + endpoint,
                "add rule ip kumo " + WEB_SVC + " numgen random mod 1 vmap { 0 : goto " + endpoint + " }",
                "add rule ip kumo " + endpoint + " ip saddr 10.244.0.2 jump mark-for-masquerade",
                "add rule ip kumo " + endpoint + " update @" + affinity + " { ip saddr }",
                "add rule ip kumo " + endpoint + " meta l4proto tcp dnat to 10.244.0.2:8080");
        assertThat(render(List.of(service("web", "10.96.0.10", HTTP, "\"sessionAffinity\": \"ClientIP\"")),
                List.of(slice("web-abc", "web", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.0.2", "n", true))))))
                .as("Kubernetes' default timeout").anyMatch(l -> l.contains("timeout 10800s"));
    }

    @Test
    void udpAndNamedPortsMatchSlicePortsByNameAndProtocol() {
        List<String> lines = render(List.of(service("dns", "10.96.0.53",
                        "[{\"name\": \"dns\", \"port\": 53, \"protocol\": \"UDP\"},"
                                + " {\"name\": \"dns-tcp\", \"port\": 53, \"protocol\": \"TCP\"}]", "")),
                List.of(slice("dns-1", "dns", "[{\"name\": \"dns\", \"port\": 5353, \"protocol\": \"UDP\"},"
                                + " {\"name\": \"dns-tcp\", \"port\": 5354}]",
                        "[%s]".formatted(endpoint("10.244.0.9", "node-1", true)))));

        assertThat(lines).contains(
                "add element ip kumo service-ips { 10.96.0.53 . udp . 53 : goto service-"
                        + ChainNames.hashAndTruncate("default/dns/udp/dns") + " }",
                "add element ip kumo service-ips { 10.96.0.53 . tcp . 53 : goto service-"
                        + ChainNames.hashAndTruncate("default/dns/tcp/dns-tcp") + " }");
        assertThat(lines).anyMatch(l -> l.endsWith("meta l4proto udp dnat to 10.244.0.9:5353"))
                .anyMatch(l -> l.endsWith("meta l4proto tcp dnat to 10.244.0.9:5354"));
    }

    @Test
    void externalAndLoadBalancerIpsAreCapturedToo() {
        ObjectNode lb = service("web", "10.96.0.10", "[{\"name\": \"http\", \"port\": 80, \"nodePort\": 30080}]",
                "\"type\": \"LoadBalancer\", \"externalIPs\": [\"192.0.2.7\"]");
        lb.putObject("status").putObject("loadBalancer").putArray("ingress").addObject().put("ip", "198.51.100.4");
        List<String> lines = render(List.of(lb),
                List.of(slice("web-abc", "web", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.0.2", "node-1", true)))));

        String external = "external-" + ChainNames.hashAndTruncate("default/web/tcp/http");
        assertThat(lines).contains("add element ip kumo service-ips { 192.0.2.7 . tcp . 80 : goto " + external + " }",
                "add element ip kumo service-ips { 198.51.100.4 . tcp . 80 : goto " + external + " }");
    }

    @Test
    void withoutNodePortAddressesEveryLocalAddressButLoopbackTakesNodePorts() {
        List<String> lines = render(ProxyConfig.of("node-1", List.of(), "", ""), List.of(), List.of()).lines();

        assertThat(lines).contains("add rule ip kumo services fib daddr type local ip daddr != 127.0.0.0/8"
                + " meta l4proto . th dport vmap @service-nodeports");
        assertThat(lines).noneMatch(l -> l.contains("nodeport-ips"));
    }

    @Test
    void theSameInputRendersTheSameText() {
        List<ObjectNode> slices = List.of(
                slice("web-b", "web", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.0.4", "node-1", true))),
                slice("web-a", "web", SLICE_HTTP, "[%s, %s]".formatted(endpoint("10.244.0.3", "node-1", true),
                        endpoint("10.244.0.4", "node-1", true))));
        Ruleset once = render(CONFIG, List.of(service("web", "10.96.0.10", HTTP, "")), slices);
        Ruleset again = render(CONFIG, List.of(service("web", "10.96.0.10", HTTP, "")), List.of(slices.get(1),
                slices.get(0)));

        assertThat(once.text()).isEqualTo(again.text());
        assertThat(once.lines()).anyMatch(l -> l.contains("numgen random mod 2"));
    }

    @Test
    void nftErrorsAreToldByTheServicePortThatWroteTheLine() {
        Ruleset ruleset = render(CONFIG, List.of(service("web", "10.96.0.10", HTTP, "")),
                List.of(slice("web-a", "web", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.0.3", "node-1", true)))));
        int line = ruleset.lines().indexOf("add rule ip kumo " + endpointChain("web", "10.244.0.3", 8080)
                + " meta l4proto tcp dnat to 10.244.0.3:8080") + 1;

        assertThat(ruleset.ownersOfErrors("/dev/stdin:" + line + ":40-52: Error: Could not process rule"))
                .containsExactly("default/web:http");
        assertThat(ruleset.ownersOfErrors("/dev/stdin:1:1-3: Error: x")).isEmpty();
    }
}
