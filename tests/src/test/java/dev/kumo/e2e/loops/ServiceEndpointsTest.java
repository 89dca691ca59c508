package dev.kumo.e2e.loops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.PodView;
import dev.kumo.e2e.support.SharedNodeCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Endpoints and EndpointSlice loops follow a Deployment's pods on simulated nodes as {@code kubectl scale} moves
 * them: the Service's named targetPort resolves to the containers' port, and the addresses are the pods' IPs, from
 * the nodes' pod CIDRs.
 */
@ExtendWith(SharedNodeCluster.class)
class ServiceEndpointsTest {
    private static final Duration LOOPS = Duration.ofSeconds(120);

    private final KumoCluster cluster;

    ServiceEndpointsTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void endpointsAndSlicesFollowThePodsAsTheyScale() {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("endpoints");
        kubectl.runWithInput(Workload.service(ns, "web") + "---\n"
                + Workload.deployment(ns, "web", 2, "nginx:1.27", "", ""), "apply", "-f", "-").ok();

        for (int replicas : new int[] {2, 5, 1}) {
            if (replicas != 2) {
                kubectl.run("scale", "deployment/web", "-n", ns, "--replicas=" + replicas).ok();
            }
            Set<String> podIps = awaitPodIps(ns, replicas);
            assertThat(podIps).allMatch(ip -> ip.matches("10\\.244\\.[0-2]\\.\\d+"), "in a node's pod CIDR");
            Poll.until(LOOPS, "Endpoints web with " + podIps, () -> endpointsAddresses(ns), podIps::equals);
            Poll.until(LOOPS, "EndpointSlices of web with " + podIps, () -> sliceAddresses(ns), podIps::equals);

            JsonNode subset = cluster.api().get("/api/v1/namespaces/" + ns + "/endpoints/web").expect(200).json()
                    .path("subsets").path(0);
            assertThat(subset.path("ports")).hasSize(1);
            assertThat(subset.path("ports").path(0).path("name").asText()).isEqualTo("web");
            assertThat(subset.path("ports").path(0).path("port").asInt()).as("targetPort http resolved")
                    .isEqualTo(8080);
            assertThat(subset.path("notReadyAddresses")).isEmpty();
            for (JsonNode slice : slices(ns)) {
                assertThat(slice.path("addressType").asText()).isEqualTo("IPv4");
                assertThat(slice.path("ports").path(0).path("port").asInt()).isEqualTo(8080);
                slice.path("endpoints").forEach(endpoint -> {
                    assertThat(endpoint.path("conditions").path("ready").asBoolean()).isTrue();
                    assertThat(endpoint.path("nodeName").asText()).startsWith("kumo-node-");
                    assertThat(endpoint.path("targetRef").path("kind").asText()).isEqualTo("Pod");
                });
            }
        }
        assertThat(kubectl.run("get", "endpoints", "web", "-n", ns, "--no-headers").ok().out())
                .matches("web\\s+10\\.244\\.[0-2]\\.\\d+:8080\\s+.*\\n");
    }

    private Set<String> awaitPodIps(String ns, int replicas) {
        List<PodView> pods = PodView.awaitServing(cluster.api(), ns, "app=web", replicas, LOOPS);
        Set<String> ips = new TreeSet<>();
        pods.forEach(pod -> ips.add(pod.ip()));
        assertThat(ips).as("distinct pod IPs").hasSize(replicas);
        return ips;
    }

    private Set<String> endpointsAddresses(String ns) {
        Set<String> ips = new TreeSet<>();
        var response = cluster.api().get("/api/v1/namespaces/" + ns + "/endpoints/web");
        if (response.status() == 404) {
            return ips;
        }
        for (JsonNode subset : response.expect(200).json().path("subsets")) {
            subset.path("addresses").forEach(address -> ips.add(address.path("ip").asText()));
        }
        return ips;
    }

    private Set<String> sliceAddresses(String ns) {
        Set<String> ips = new TreeSet<>();
        for (JsonNode slice : slices(ns)) {
            slice.path("endpoints").forEach(endpoint -> endpoint.path("addresses")
                    .forEach(address -> ips.add(address.asText())));
        }
        return ips;
    }

    private List<JsonNode> slices(String ns) {
        List<JsonNode> slices = new ArrayList<>();
        cluster.api().get("/apis/discovery.k8s.io/v1/namespaces/" + ns
                        + "/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb").expect(200).json()
                .path("items").forEach(slices::add);
        return slices;
    }
}
