package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.StoredRecord;
import dev.kumo.apiserver.registry.NodeReservations;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    /**
     * What a node pool sees when a node dies: pods force-deleted and replaced under the same names while two API
     * processes bind them and their status is written, all at once. The node never holds more than its room, and
     * no reservation outlives its pod (the room is whole again once every pod is gone).
     */
    @Test
    void sameNamedReplacementsBoundDeletedAndUpdatedAtOnceNeverOvercommitNorLeak() throws Exception {
        node("churn", "2", "110");
        TestApi other = api.otherProcess();
        List<String> names = List.of("r-0", "r-1", "r-2", "r-3", "r-4");
        names.forEach(name -> pod(name, "900m", null));
        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            TestApi server = t % 2 == 0 ? api : other;
            int seed = t;
            work.add(threads.submit(() -> {
                java.util.Random random = new java.util.Random(seed);
                for (int round = 0; round < 25; round++) {
                    String name = names.get(random.nextInt(names.size()));
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            server.call("DELETE", PODS + "/" + name + "?gracePeriodSeconds=0", null);
                            server.call("POST", PODS, """
                                    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"containers":[
                                     {"name":"c","image":"busybox","resources":{"requests":{"cpu":"900m"}}}]}}"""
                                    .formatted(name));
                        }
                        case 1 -> bind(server, name, "churn");
                        default -> server.call("PATCH", PODS + "/" + name + "/status",
                                "{\"status\":{\"phase\":\"Running\"}}", "application/merge-patch+json",
                                java.util.Map.of());
                    }
                    assertThat(boundTo("churn").size()).as("pods bound to a node with room for two")
                            .isLessThanOrEqualTo(2);
                }
                return null;
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        threads.shutdown();
        assertThat(boundTo("churn").size()).isLessThanOrEqualTo(2);

        for (String name : names) {
            api.call("DELETE", PODS + "/" + name + "?gracePeriodSeconds=0", null);
        }
        pod("after-1", "900m", null);
        pod("after-2", "900m", null);
        assertThat(bind(api, "after-1", "churn").status()).as("no reservation left behind").isEqualTo(201);
        assertThat(bind(api, "after-2", "churn").status()).isEqualTo(201);
    }

    /**
     * Two schedulers binding the same pod: the loser read the pod unbound, finds it in the node's record already
     * (the winner's binding committed) and then fails on the pod's revision. Whatever the registry does after that
     * failure must leave the winner's reservation in place: once it did not, and the node took a third pod.
     */
    @Test
    void aBindingThatLostTheRaceForTheSamePodLeavesTheWinnersReservation() {
        node("raced", "2", "110");
        pod("twice", "900m", null);
        pod("second", "900m", null);
        pod("third", "900m", null);
        ObjectNode unbound = (ObjectNode) api.call("GET", PODS + "/twice", null).body();
        assertThat(bind(api, "twice", "raced").status()).isEqualTo(201);

        NodeReservations reservations = new NodeReservations(api.store, TestApi.MAPPER);
        ObjectNode losersAttempt = unbound.deepCopy();
        ((ObjectNode) losersAttempt.path("spec")).put("nodeName", "raced");
        reservations.reallocateWithUpdate(losersAttempt, unbound).ifPresent(api.store::putRecord);
        reservations.undo(losersAttempt, unbound); // what the registry calls when the pod's write fails

        assertThat(bind(api, "second", "raced").status()).isEqualTo(201);
        TestApi.Answer third = bind(api, "third", "raced");
        assertThat(third.status()).as("a third 900m pod on 2 cpu").isEqualTo(409);
        assertThat(third.body().path("message").asText()).contains("Insufficient cpu");
    }

    /** A finishing pod gives its room back in its own write: not before it, where a failed write would lose it. */
    @Test
    void aFinishGivesTheRoomBackOnlyWithThePodsWrite() {
        node("finish", "1", "110");
        pod("job", "900m", null);
        assertThat(bind(api, "job", "finish").status()).isEqualTo(201);
        ObjectNode running = (ObjectNode) api.call("GET", PODS + "/job", null).body();
        ObjectNode succeeded = running.deepCopy();
        ((ObjectNode) succeeded.path("status")).put("phase", "Succeeded");
        ObjectKey record = ObjectKey.cluster("kumo.dev/nodereservations", "finish");
        StoredRecord before = api.store.getRecord(record).orElseThrow();

        Optional<StoredRecord.Write> release = new NodeReservations(api.store, TestApi.MAPPER)
                .reallocateWithUpdate(succeeded, running);

        assertThat(api.store.getRecord(record).orElseThrow()).as("nothing written yet").isEqualTo(before);
        assertThat(release).hasValueSatisfying(write -> {
            assertThat(write.expectedVersion()).isEqualTo(before.version());
            assertThat(write.value().path("pods").has(Meta.uid(running))).isFalse();
        });
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
