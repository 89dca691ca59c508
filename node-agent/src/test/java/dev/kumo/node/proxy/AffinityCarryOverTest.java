package dev.kumo.node.proxy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kumo.node.proxy.ProxyFixtures.endpoint;
import static dev.kumo.node.proxy.ProxyFixtures.service;
import static dev.kumo.node.proxy.ProxyFixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

class AffinityCarryOverTest {
    /** What nft 1.0.6 prints for {@code nft -j list sets ip} (two tables, a plain set, elements with and without expiry). */
    private static final String LISTED = """
            {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
             {"set": {"family": "ip", "name": "affinity-AAAA", "table": "kumo", "type": "ipv4_addr",
               "flags": ["timeout"], "timeout": 10800,
               "elem": [{"elem": {"val": "172.31.0.1", "expires": 10798}},
                        {"elem": {"val": "10.244.0.2", "timeout": 100, "expires": 98}}]}},
             {"set": {"family": "ip", "name": "affinity-GONE", "table": "kumo", "type": "ipv4_addr",
               "elem": [{"elem": {"val": "10.244.0.3", "expires": 5}}]}},
             {"set": {"family": "ip", "name": "nodeport-ips", "table": "kumo", "type": "ipv4_addr",
               "elem": ["1.2.3.4"]}},
             {"set": {"family": "ip", "name": "affinity-AAAA", "table": "other", "type": "ipv4_addr",
               "elem": [{"elem": {"val": "10.9.9.9", "expires": 7}}]}}]}""";

    @Test
    void readsTheClientsOfKumosAffinitySetsWithTheTimeTheyHaveLeft() throws Exception {
        Map<String, List<AffinityCarryOver.Client>> clients = AffinityCarryOver.parse(LISTED);

        assertThat(clients).containsOnlyKeys("affinity-AAAA", "affinity-GONE");
        assertThat(clients.get("affinity-AAAA")).containsExactly(new AffinityCarryOver.Client("172.31.0.1", 10798),
                new AffinityCarryOver.Client("10.244.0.2", 98));
    }

    @Test
    void theRebuildGetsThemBackInTheSetsItStillDeclares() {
        Ruleset ruleset = RulesetRendererTest.render(
                ProxyConfig.of("node-1", List.of(), "", ""),
                List.of(service("web", "10.96.0.10", "[{\"name\": \"http\", \"port\": 80}]",
                        "\"sessionAffinity\": \"ClientIP\"")),
                List.of(slice("web-1", "web", "[{\"name\": \"http\", \"port\": 8080}]",
                        "[%s]".formatted(endpoint("10.244.0.2", "node-1", true)))));
        String set = "affinity-" + ChainNames.hashAndTruncate("default/web/tcp/http__10.244.0.2/8080");

        Ruleset restored = AffinityCarryOver.restore(ruleset, Map.of(
                set, List.of(new AffinityCarryOver.Client("172.31.0.1", 10798),
                        new AffinityCarryOver.Client("10.244.0.5", 3)),
                "affinity-GONE", List.of(new AffinityCarryOver.Client("10.244.0.3", 5))));

        assertThat(AffinityCarryOver.needed(ruleset)).isTrue();
        assertThat(restored.lines()).startsWith(ruleset.lines().toArray(String[]::new));
        assertThat(restored.lines().subList(ruleset.lines().size(), restored.lines().size())).containsExactly(
                "add element ip kumo " + set + " { 172.31.0.1 expires 10798s, 10.244.0.5 expires 3s }");
        assertThat(restored.owners().getLast()).isEqualTo("default/web:http");
        assertThat(AffinityCarryOver.needed(RulesetRendererTest.render(ProxyConfig.of("n", List.of(), "", ""),
                List.of(), List.of()))).isFalse();
    }
}
