package dev.kumo.node.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.NodeSystemInfo;
import dev.kumo.node.network.Ipv4Cidr;
import dev.kumo.node.network.PodIpAllocator;
import dev.kumo.node.simulated.SimulatedRuntime;
import dev.kumo.node.testing.NodeTestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Service routing with real traffic: a node (a network namespace) whose agent runs the service proxy against the
 * real API, two pods (namespaces on the node's bridge) serving TCP on 8080 and UDP on 5353 with their name and the
 * client address they see, and Services and EndpointSlices written through the API. Needs root and nft.
 */
class ServiceRoutingTest {
    private static final String NODE = "kumo-proxy-node";
    private static final String NODE_IP = "172.31.0.1";
    private static final String GATEWAY = "10.244.0.1";
    private static final String POD_A = "10.244.0.2";
    private static final String POD_B = "10.244.0.3";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static NetnsTopology topology;
    private static NodeTestCluster cluster;
    private static NodeAgent agent;
    private static KubeClient admin;

    @BeforeAll
    static void nodeWithTwoPods() throws Exception {
        RootNetworking.assume();
        topology = NetnsTopology.create(NODE_IP, GATEWAY, Map.of("pod-a", POD_A, "pod-b", POD_B), 8080, 5353);
        cluster = new NodeTestCluster();
        admin = cluster.admin();
        Clock clock = Clock.systemUTC();
        agent = new NodeAgent(cluster.endpoint(), cluster.bootstrapToken(),
                NodeConfig.of(NODE, NODE_IP, "10.244.0.0/24", NodeCapacity.of("2", "4Gi", "20Gi")),
                podCidr -> new SimulatedRuntime(new PodIpAllocator(Ipv4Cidr.parse(podCidr)), clock),
                NodeSystemInfo.simulated(NODE, SimulatedRuntime.VERSION), clock, 1)
                .withServiceProxy(ProxyConfig.of(NODE, List.of(NODE_IP), "10.244.0.0/16", topology.nodeNamespace()));
        agent.start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            if (agent != null) {
                agent.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (topology != null) {
                topology.close();
            }
        }
    }

    @Test
    void aClusterIpSpreadsTcpOverBothEndpointsAndMasqueradesTheNode() throws Exception {
        ObjectNode service = serviceWithBothPods("spread", "");
        String clusterIp = clusterIp(service);

        Map<String, Integer> answers = spread("node", "tcp", clusterIp, 80, 50);

        System.out.println("ClusterIP TCP, 50 connections from the node: " + answers);
        assertThat(answers.keySet()).containsExactlyInAnyOrder("pod-a " + GATEWAY, "pod-b " + GATEWAY);
        assertThat(Collections.min(answers.values())).as("even spread").isGreaterThanOrEqualTo(10);
    }

    @Test
    void aClusterIpSpreadsUdpToo() throws Exception {
        ObjectNode service = createService("""
                {"metadata": {"name": "dns"}, "spec": {"ports": [{"name": "dns", "port": 53, "protocol": "UDP",
                 "targetPort": 5353}]}}""");
        createSlice("dns-1", "dns", "[{\"name\": \"dns\", \"port\": 5353, \"protocol\": \"UDP\"}]",
                endpoints(POD_A, true, POD_B, true));
        awaitRules(text -> text.contains("dnat to " + POD_B + ":5353"));

        Map<String, Integer> answers = spread("node", "udp", clusterIp(service), 53, 30);

        System.out.println("ClusterIP UDP, 30 datagrams from the node: " + answers);
        assertThat(answers.keySet()).containsExactlyInAnyOrder("pod-a " + GATEWAY, "pod-b " + GATEWAY);
    }

    @Test
    void aNodePortAnswersOnTheNodesAddressFromOutsideTheNodeAndAPod() throws Exception {
        ObjectNode service = serviceWithBothPods("nodeport", "\"type\": \"NodePort\"");
        int nodePort = service.path("spec").path("ports").path(0).path("nodePort").asInt();
        assertThat(nodePort).isBetween(30000, 32767);

        Map<String, Integer> fromNode = spread("node", "tcp", NODE_IP, nodePort, 20);
        Map<String, Integer> fromPod = spread("pod-a", "tcp", NODE_IP, nodePort, 20);
        Map<String, Integer> fromOutside = spread("outside", "tcp", NODE_IP, nodePort, 20);

        System.out.println("NodePort " + nodePort + " from the node: " + fromNode + ", from pod-a: " + fromPod
                + ", from outside: " + fromOutside);
        assertThat(names(fromNode)).containsExactlyInAnyOrder("pod-a", "pod-b");
        assertThat(names(fromOutside)).containsExactlyInAnyOrder("pod-a", "pod-b");
        assertThat(fromOutside.keySet()).allMatch(answer -> answer.endsWith(" " + GATEWAY), "masqueraded");
        assertThat(names(fromPod)).isNotEmpty();
        assertThat(fromPod.keySet()).allMatch(answer -> answer.endsWith(" " + GATEWAY), "masqueraded");
    }

    @Test
    void clientIpAffinityKeepsTheClientOnOneEndpointAcrossRebuilds() throws Exception {
        ObjectNode service = serviceWithBothPods("sticky", "\"sessionAffinity\": \"ClientIP\"");

        Map<String, Integer> answers = spread("node", "tcp", clusterIp(service), 80, 20);

        System.out.println("ClientIP affinity, 20 connections from the node: " + answers);
        assertThat(answers).hasSize(1);
        assertThat(answers.values()).containsExactly(20);

        // another Service changes the rules: the table is rebuilt, and the client keeps its endpoint
        long before = agent.serviceProxier().lastSync().sequence();
        serviceWithBothPods("sticky-neighbour", "");
        assertThat(agent.serviceProxier().lastSync().sequence()).isGreaterThan(before);
        String chosen = answers.keySet().iterator().next().startsWith("pod-a") ? POD_A : POD_B;
        String set = "affinity-" + ChainNames.hashAndTruncate("default/sticky/tcp/http__" + chosen + "/8080");
        HostCommand.Result listed = new Nft(new HostCommand(topology.nodeNamespace())).listSetsJson();
        assertThat(AffinityCarryOver.parse(listed.output()).get(set)).extracting(AffinityCarryOver.Client::ip)
                .containsExactly(NODE_IP);
        assertThat(spread("node", "tcp", clusterIp(service), 80, 20)).isEqualTo(answers);
    }

    @Test
    void anEndpointThatTurnsNotReadyLeavesTheRotationAndComesBack() throws Exception {
        ObjectNode service = serviceWithBothPods("flip", "");
        String clusterIp = clusterIp(service);
        assertThat(names(spread("node", "tcp", clusterIp, 80, 30))).containsExactlyInAnyOrder("pod-a", "pod-b");

        ObjectNode slice = admin.get(ResourceType.ENDPOINT_SLICES, "default", "flip-1").orElseThrow();
        ((ObjectNode) slice.path("endpoints").path(1).path("conditions")).put("ready", false);
        long changed = System.nanoTime();
        admin.update(ResourceType.ENDPOINT_SLICES, slice);
        long onlyA = pollUntil(() -> names(spread("node", "tcp", clusterIp, 80, 20)).equals(List.of("pod-a")));
        System.out.printf("endpoint not ready -> out of the rotation (20 connections all to pod-a): %d ms%n",
                (onlyA - changed) / 1_000_000);

        slice = admin.get(ResourceType.ENDPOINT_SLICES, "default", "flip-1").orElseThrow();
        ((ObjectNode) slice.path("endpoints").path(1).path("conditions")).put("ready", true);
        admin.update(ResourceType.ENDPOINT_SLICES, slice);
        pollUntil(() -> names(spread("node", "tcp", clusterIp, 80, 30)).size() == 2);
    }

    @Test
    void aServiceWithoutEndpointsRefusesConnections() throws Exception {
        ObjectNode service = createService("""
                {"metadata": {"name": "nothing"}, "spec": {"ports": [{"name": "http", "port": 80,
                 "targetPort": 8080}]}}""");
        String clusterIp = clusterIp(service);
        awaitRules(text -> text.contains(clusterIp + " . tcp . 80 : goto reject-chain"));

        assertThat(topology.probe("node", "tcp", clusterIp, 80)).isEqualTo("error refused");
        assertThat(topology.probe("pod-a", "tcp", clusterIp, 80)).isEqualTo("error refused");
    }

    @Test
    void aPodReachesItselfThroughItsServiceMasqueraded() throws Exception {
        ObjectNode service = serviceWithBothPods("hairpin", "");

        Map<String, Integer> answers = spread("pod-a", "tcp", clusterIp(service), 80, 40);

        System.out.println("hairpin, 40 connections from pod-a: " + answers);
        // pod-a answering itself sees the gateway (masqueraded); pod-b sees pod-a as it is
        assertThat(answers.keySet()).containsExactlyInAnyOrder("pod-a " + GATEWAY, "pod-b " + POD_A);
    }

    @Test
    void changeToRulesAppliedBenchmark() throws Exception {
        serviceWithBothPods("bench", "");
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            boolean ready = i % 2 == 1;
            ObjectNode slice = admin.get(ResourceType.ENDPOINT_SLICES, "default", "bench-1").orElseThrow();
            ((ObjectNode) slice.path("endpoints").path(1).path("conditions")).put("ready", ready);
            long before = System.nanoTime();
            admin.update(ResourceType.ENDPOINT_SLICES, slice);
            String benchB = "default/bench/tcp/http__" + POD_B + "/8080";
            ServiceProxier.Sync sync = awaitRules(text -> text.contains(benchB) == ready);
            millis.add((sync.appliedNanos() - before) / 1_000_000);
        }
        Collections.sort(millis);
        System.out.printf("BENCHMARK EndpointSlice update -> nft rules applied, 20 changes: p50 %d ms, p90 %d ms,"
                + " max %d ms (coalescing window %d ms)%n", millis.get(9), millis.get(17), millis.get(19),
                ProxyConfig.DEFAULT_COALESCE.toMillis());
        assertThat(millis).hasSize(20);
    }

    @Test
    void aRemovedTableIsBuiltAgainAndClosingTheProxierRemovesIt() throws Exception {
        String namespace = NetnsTopology.PREFIX + "repair";
        NetnsTopology.ip("netns", "add", namespace);
        try {
            Nft nft = new Nft(new HostCommand(namespace));
            ServiceProxier proxier = new ServiceProxier(admin, new ProxyConfig("other", List.of(), "", namespace,
                    ProxyConfig.DEFAULT_COALESCE, Duration.ofMillis(200)));
            proxier.start();
            try {
                pollUntil(() -> proxier.lastSync() != null);
                assertThat(nft.list("ip", RulesetRenderer.TABLE).output()).contains("chain services");

                assertThat(nft.apply(RulesetRenderer.deleteTable()).succeeded()).isTrue();
                pollUntil(() -> nft.hasTable("ip", RulesetRenderer.TABLE));
                assertThat(nft.list("ip", RulesetRenderer.TABLE).output()).contains("chain services");
            } finally {
                proxier.close();
            }
            assertThat(nft.hasTable("ip", RulesetRenderer.TABLE)).isFalse();
        } finally {
            NetnsTopology.ip("netns", "delete", namespace);
        }
    }

    // --- helpers

    /** A Service {@code name} (port http 80 → 8080) with both pods ready in its slice, once its rules are in. */
    private static ObjectNode serviceWithBothPods(String name, String extraSpec) throws Exception {
        ObjectNode service = createService("""
                {"metadata": {"name": "%s"}, "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080}]
                 %s}}""".formatted(name, extraSpec.isEmpty() ? "" : ", " + extraSpec));
        createSlice(name + "-1", name, "[{\"name\": \"http\", \"port\": 8080, \"protocol\": \"TCP\"}]",
                endpoints(POD_A, true, POD_B, true));
        awaitRules(text -> text.contains("default/" + name + "/tcp/http__" + POD_B + "/8080"));
        return service;
    }

    private static ObjectNode createService(String json) {
        ObjectNode service = object(json);
        service.put("apiVersion", "v1").put("kind", "Service");
        return admin.create(ResourceType.SERVICES, "default", service);
    }

    private static void createSlice(String name, String service, String ports, String endpoints) {
        admin.create(ResourceType.ENDPOINT_SLICES, "default", object("""
                {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                 "metadata": {"name": "%s", "labels": {"kubernetes.io/service-name": "%s"}},
                 "addressType": "IPv4", "ports": %s, "endpoints": %s}""".formatted(name, service, ports, endpoints)));
    }

    private static String endpoints(String firstIp, boolean firstReady, String secondIp, boolean secondReady) {
        return "[%s, %s]".formatted(ProxyFixtures.endpoint(firstIp, NODE, firstReady),
                ProxyFixtures.endpoint(secondIp, NODE, secondReady));
    }

    private static String clusterIp(ObjectNode service) {
        return service.path("spec").path("clusterIP").asText();
    }

    /** {@code count} probes; the answers ({@code <pod> <client address>}) counted; an error fails the test. */
    private static Map<String, Integer> spread(String from, String protocol, String ip, int port, int count)
            throws IOException {
        Map<String, Integer> answers = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String result = topology.probe(from, protocol, ip, port);
            assertThat(result).as("%s %s:%d from %s", protocol, ip, port, from).startsWith("ok ");
            answers.merge(result.substring(3), 1, Integer::sum);
        }
        return answers;
    }

    private static List<String> names(Map<String, Integer> answers) {
        return answers.keySet().stream().map(answer -> answer.split(" ")[0]).distinct().sorted().toList();
    }

    private static ServiceProxier.Sync awaitRules(Predicate<String> text) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            ServiceProxier.Sync sync = agent.serviceProxier().lastSync();
            if (sync != null && text.test(sync.ruleset().text())) {
                return sync;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the proxier did not apply the expected rules within " + DEADLINE);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls until {@code check} holds (fails after the deadline); returns when it did, in nanoTime. */
    private static long pollUntil(Check check) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not within " + DEADLINE);
    }
}
