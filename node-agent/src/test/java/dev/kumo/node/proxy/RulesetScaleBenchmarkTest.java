package dev.kumo.node.proxy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a full rebuild of the table scales: render and {@code nft -f} times for 100 and 1000 service ports of three
 * endpoints each, applied in a network namespace of its own. Prints figures; asserts only that nft took the rules.
 * Needs root and nft.
 */
class RulesetScaleBenchmarkTest {

    @Test
    void renderAndApplyTimesFor100And1000ServicePorts() throws Exception {
        RootNetworking.assume();
        String namespace = NetnsTopology.PREFIX + "scale";
        NetnsTopology.ip("netns", "add", namespace);
        try {
            Nft nft = new Nft(new HostCommand(namespace));
            RulesetRenderer renderer = new RulesetRenderer(
                    ProxyConfig.of("node-1", List.of("172.31.0.1"), "10.244.0.0/16", namespace));
            for (int count : new int[] {100, 1000, 1000}) {
                List<ServicePort> ports = new ArrayList<>();
                Map<ServicePort.EndpointKey, List<Endpoint>> endpoints = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    ServicePort port = new ServicePort("default", "svc-" + i, "http", "tcp",
                            "10.96." + (i / 250) + "." + (i % 250 + 1), 80, i % 2 == 0 ? 30000 + i : 0, List.of(),
                            List.of(), i % 10 == 0 ? 10_800 : 0, false, false);
                    ports.add(port);
                    List<Endpoint> list = new ArrayList<>();
                    for (int e = 0; e < 3; e++) {
                        list.add(new Endpoint("10.244." + e + "." + (i % 250 + 2), 8080, true, true, false, "node-1"));
                    }
                    endpoints.put(port.endpointKey(), list);
                }
                long started = System.nanoTime();
                Ruleset ruleset = renderer.render(ports, endpoints);
                String text = ruleset.text();
                long rendered = System.nanoTime();
                HostCommand.Result applied = nft.apply(text);
                long done = System.nanoTime();

                assertThat(applied.succeeded()).as(applied.output()).isTrue();
                System.out.printf("BENCHMARK %d service ports x 3 endpoints: %d lines, %d KiB, render %d ms,"
                                + " nft -f (delete + rebuild) %d ms%n", count, ruleset.lines().size(),
                        text.length() / 1024, (rendered - started) / 1_000_000, (done - rendered) / 1_000_000);
            }
        } finally {
            NetnsTopology.ip("netns", "delete", namespace);
        }
    }
}
