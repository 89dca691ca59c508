package dev.kumo.node.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kumo.node.proxy.ProxyFixtures.endpoint;
import static dev.kumo.node.proxy.ProxyFixtures.service;
import static dev.kumo.node.proxy.ProxyFixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of rule the renderer writes goes through {@code nft -c -f -} (check mode: parsed and validated by the
 * kernel, not applied), so that a syntax error fails the build. Needs root and nft.
 */
class RulesetCheckTest {
    private static final String SLICE_HTTP = "[{\"name\": \"http\", \"port\": 8080, \"protocol\": \"TCP\"}]";
    private final Nft nft = new Nft(new HostCommand(""));

    @BeforeAll
    static void rootAndNft() {
        RootNetworking.assume();
    }

    private static List<ObjectNode> everyKindOfService() {
        ObjectNode lb = service("lb", "10.96.0.14", "[{\"name\": \"http\", \"port\": 80, \"nodePort\": 30081}]",
                "\"type\": \"LoadBalancer\", \"externalIPs\": [\"192.0.2.7\"], \"externalTrafficPolicy\": \"Local\"");
        lb.putObject("status").putObject("loadBalancer").putArray("ingress").addObject().put("ip", "198.51.100.4");
        return List.of(
                service("web", "10.96.0.10", "[{\"name\": \"http\", \"port\": 80, \"nodePort\": 30080}]",
                        "\"type\": \"NodePort\", \"sessionAffinity\": \"ClientIP\""),
                service("dns", "10.96.0.53", "[{\"name\": \"dns\", \"port\": 53, \"protocol\": \"UDP\"},"
                        + " {\"name\": \"sctp\", \"port\": 9, \"protocol\": \"SCTP\"}]", ""),
                service("empty", "10.96.0.11", "[{\"name\": \"http\", \"port\": 80, \"nodePort\": 30082}]",
                        "\"type\": \"NodePort\""),
                service("local", "10.96.0.12", "[{\"name\": \"http\", \"port\": 80}]",
                        "\"internalTrafficPolicy\": \"Local\""),
                service("unnamed", "10.96.0.13", "[{\"port\": 80}]", ""),
                lb);
    }

    private static List<ObjectNode> theirSlices() {
        String both = "[%s, %s]".formatted(endpoint("10.244.0.2", "node-1", true), endpoint("10.244.1.2", "node-2", true));
        return List.of(
                slice("web-1", "web", SLICE_HTTP, both),
                slice("dns-1", "dns", "[{\"name\": \"dns\", \"port\": 5353, \"protocol\": \"UDP\"},"
                        + " {\"name\": \"sctp\", \"port\": 9, \"protocol\": \"SCTP\"}]", both),
                slice("local-1", "local", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.1.2", "node-2", true))),
                slice("unnamed-1", "unnamed", "[{\"port\": 8080}]", both),
                slice("lb-1", "lb", SLICE_HTTP, both));
    }

    @Test
    void everyKindOfServicePortAndRememberedAffinityPassNftsCheck() throws Exception {
        for (ProxyConfig config : List.of(
                ProxyConfig.of("node-1", List.of("172.31.0.1", "192.168.7.1"), "10.244.0.0/16", ""),
                ProxyConfig.of("node-1", List.of(), "", ""))) {
            Ruleset rendered = RulesetRendererTest.render(config, everyKindOfService(), theirSlices());
            String affinitySet = "affinity-" + ChainNames.hashAndTruncate("default/web/tcp/http__10.244.0.2/8080");
            Ruleset ruleset = AffinityCarryOver.restore(rendered,
                    Map.of(affinitySet, List.of(new AffinityCarryOver.Client("172.31.0.1", 100))));
            assertThat(ruleset.lines()).hasSize(rendered.lines().size() + 1);

            HostCommand.Result checked = nft.check(ruleset.text());

            assertThat(checked.succeeded()).as("nft -c says: %s\n%s", checked.output(), ruleset.text()).isTrue();
        }
    }

    @Test
    void theEmptyTableAndItsRemovalPassToo() throws Exception {
        Ruleset empty = RulesetRendererTest.render(ProxyConfig.of("n", List.of("172.31.0.1"), "10.244.0.0/16", ""),
                List.of(), List.of());

        assertThat(nft.check(empty.text()).output()).isEmpty();
        assertThat(nft.check(RulesetRenderer.deleteTable()).succeeded()).isTrue();
    }

    @Test
    void aBrokenRulesetFailsTheCheckAndNamesItsService() throws Exception {
        Ruleset ruleset = RulesetRendererTest.render(ProxyConfig.of("n", List.of(), "", ""),
                List.of(service("web", "10.96.0.10", "[{\"name\": \"http\", \"port\": 80}]", "")),
                List.of(slice("web-1", "web", SLICE_HTTP, "[%s]".formatted(endpoint("10.244.0.2", "n", true)))));
        List<String> lines = ruleset.lines().stream()
                .map(l -> l.endsWith("dnat to 10.244.0.2:8080") ? l.replace("dnat to", "dnat too") : l).toList();
        Ruleset broken = new Ruleset(lines, ruleset.owners());

        HostCommand.Result checked = nft.check(broken.text());

        assertThat(checked.succeeded()).isFalse();
        assertThat(broken.ownersOfErrors(checked.output())).containsExactly("default/web:http");
    }
}
