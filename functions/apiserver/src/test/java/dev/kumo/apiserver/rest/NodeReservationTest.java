package dev.kumo.apiserver.rest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bindings reserve a pod's requests on its node with a conditional write, so that schedulers binding at once can
 * never place more on a node than its allocatable holds, whichever of them wins each race.
 */
class NodeReservationTest {
    private static final String PODS = "/api/v1/namespaces/default/pods";
    private final TestApi api = new TestApi();

    @Test
    void parallelBindingsNeverOvercommitANode() throws Exception {
        node("small", "1", "8");

        assertThat(bindAtOnce("small", 8, "300m")).isEqualTo(3); // 3 × 300m fit in 1 cpu, a fourth would not
        assertThat(boundTo("small")).hasSize(3);
    }

    @Test
    void bindingsThatOnlyRacedForTheRecordAreTriedAgainUntilTheNodeIsFull() throws Exception {
        // The reservation is written in the pod's transaction: twelve bindings at once conflict on the node's
        // record many times over, and each is retried on fresh reads; only the room refuses a binding.
        node("busy", "1", "110");

        assertThat(bindAtOnce("busy", 12, "100m")).isEqualTo(10);
        assertThat(boundTo("busy")).hasSize(10);
    }

    /**
     * Binds {@code pods} new pods to the node at once, half through a second API server process on the same tables
     * (as a second scheduler would); every refusal must be for want of cpu. Returns how many were bound.
     */
    private int bindAtOnce(String node, int pods, String cpu) throws Exception {
        for (int i = 0; i < pods; i++) {
            pod(node + "-" + i, cpu, null);
        }
        TestApi other = api.otherProcess();
        ExecutorService threads = Executors.newFixedThreadPool(pods);
        List<Future<TestApi.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            TestApi server = i % 2 == 0 ? api : other;
            String name = node + "-" + i;
            answers.add(threads.submit(() -> bind(server, name, node)));
        }
        int bound = 0;
        for (Future<TestApi.Answer> answer : answers) {
            TestApi.Answer result = answer.get();
            if (result.status() == 201) {
                bound++;
            } else {
                assertThat(result.status()).as(result.text()).isEqualTo(409);
                assertThat(result.body().path("message").asText()).contains("Insufficient cpu");
            }
        }
        threads.shutdown();
        return bound;
    }

    @Test
    void aDeletedOrFinishedPodGivesItsRoomBack() {
        node("one", "1", "8");
        pod("a", "600m", null);
        pod("b", "600m", null);
        pod("c", "600m", null);
        assertThat(bind(api, "a", "one").status()).isEqualTo(201);
        assertThat(bind(api, "b", "one").status()).isEqualTo(409);

        assertThat(api.call("DELETE", PODS + "/a?gracePeriodSeconds=0", null).status()).isEqualTo(200);
        assertThat(bind(api, "b", "one").status()).isEqualTo(201);

        assertThat(api.call("PATCH", PODS + "/b/status", "{\"status\":{\"phase\":\"Succeeded\"}}",
                "application/merge-patch+json", java.util.Map.of()).status()).isEqualTo(200);
        assertThat(bind(api, "c", "one").status()).isEqualTo(201);
    }

    @Test
    void aNodeHoldsNoMorePodsThanItsPodCapacity() {
        node("tiny", "4", "1");
        pod("x", "10m", null);
        pod("y", "10m", null);
        assertThat(bind(api, "x", "tiny").status()).isEqualTo(201);
        TestApi.Answer second = bind(api, "y", "tiny");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body().path("message").asText())
                .isEqualTo("Operation cannot be fulfilled on pods \"y\": node \"tiny\" cannot hold the pod: "
                        + "Too many pods");
    }

    @Test
    void aPodCreatedOnANodeIsCountedWithoutACheck() {
        node("full", "1", "8");
        pod("placed", "2", "full"); // Kubernetes accepts it; the kubelet would refuse to run it
        pod("next", "100m", null);
        assertThat(bind(api, "next", "full").status()).isEqualTo(409);
    }

    private void node(String name, String cpu, String pods) {
        TestApi.Answer answer = api.call("POST", "/api/v1/nodes", """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},
                 "status":{"allocatable":{"cpu":"%s","memory":"8Gi","pods":"%s"}}}""".formatted(name, cpu, pods));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        // Node status is written through its subresource, as a node agent reports it.
        TestApi.Answer status = api.call("PATCH", "/api/v1/nodes/" + name + "/status", """
                {"status":{"allocatable":{"cpu":"%s","memory":"8Gi","pods":"%s"}}}""".formatted(cpu, pods),
                "application/merge-patch+json", java.util.Map.of());
        assertThat(status.status()).as(status.text()).isEqualTo(200);
    }

    private void pod(String name, String cpu, String node) {
        TestApi.Answer answer = api.call("POST", PODS, """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{%s
                 "containers":[{"name":"c","image":"busybox","resources":{"requests":{"cpu":"%s"}}}]}}"""
                .formatted(name, node == null ? "" : "\"nodeName\":\"" + node + "\",", cpu));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
    }

    private static TestApi.Answer bind(TestApi server, String pod, String node) {
        return server.call("POST", PODS + "/" + pod + "/binding", """
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"%s"},
                 "target":{"apiVersion":"v1","kind":"Node","name":"%s"}}""".formatted(pod, node));
    }

    private List<String> boundTo(String node) {
        List<String> names = new ArrayList<>();
        api.call("GET", PODS + "?fieldSelector=spec.nodeName%3D" + node, null).body().path("items")
                .forEach(pod -> names.add(pod.at("/metadata/name").asText()));
        return names;
    }
}
