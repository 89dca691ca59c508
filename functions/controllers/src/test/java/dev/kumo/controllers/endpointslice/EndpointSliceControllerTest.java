package dev.kumo.controllers.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.endpoints.ServiceFixtures;
import dev.kumo.controllers.endpoints.ServicePodsReconciler;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.kumo.controllers.endpoints.ServiceFixtures.HTTP;
import static dev.kumo.controllers.endpoints.ServiceFixtures.WEB;
import static org.assertj.core.api.Assertions.assertThat;

/** The EndpointSlice controller: one reconcile of one key against the real API, asserting the slices it wrote. */
class EndpointSliceControllerTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();
    private static final ServiceFixtures FIXTURES = new ServiceFixtures(ADMIN);

    private final ControllerContext context = CLUSTER.controllerContext(EndpointSliceController.COMPONENT,
            Clock.systemUTC());
    private final ControlLoop loop = EndpointSliceController.loop(context);
    /** The same controller with room for 2 endpoints per slice, to see slices fill up and split. */
    private final Reconciler small = new ServicePodsReconciler(context.client(), new EndpointSliceSync(context, 2));

    @BeforeAll
    static void nodes() {
        FIXTURES.node("node-a", "zone-1");
        FIXTURES.node("node-b", "");
    }

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    private Result reconcile(String resource, String namespace, String name) throws Exception {
        return loop.reconciler().reconcile(new ObjectKey(resource, namespace, name));
    }

    private static List<ObjectNode> slices(String namespace) {
        return ADMIN.list(ResourceType.ENDPOINT_SLICES, namespace, "kubernetes.io/service-name=web", "").stream()
                .sorted(Comparator.comparing(s -> s.path("metadata").path("name").asText())).toList();
    }

    /** Pod name → the endpoint of it, over all slices. */
    private static Map<String, JsonNode> endpointsByPod(String namespace) {
        Map<String, JsonNode> endpoints = new TreeMap<>();
        for (ObjectNode slice : slices(namespace)) {
            slice.path("endpoints").forEach(e -> endpoints.put(e.path("targetRef").path("name").asText(), e));
        }
        return endpoints;
    }

    @Test
    void aSliceOwnedByTheServiceListsItsPodsWithConditionsNodeZoneAndResolvedPorts() throws Exception {
        String ns = FIXTURES.namespace();
        ObjectNode service = FIXTURES.webService(ns, "");
        ObjectNode ready = FIXTURES.webPod(ns, "web-1", "node-a", "10.1.0.1", true);
        FIXTURES.webPod(ns, "web-2", "node-b", "10.1.0.2", false);
        FIXTURES.webPod(ns, "web-3", "node-a", "10.1.0.3", true);
        ADMIN.delete(ResourceType.PODS, ns, "web-3", null, null); // terminating (graceful on its node)
        FIXTURES.pod(ns, "web-4", WEB, "", HTTP); // pending, no address

        assertThat(reconcile("services", ns, "web")).isEqualTo(Result.requeueAfter(Duration.ofSeconds(1)));

        List<ObjectNode> slices = slices(ns);
        assertThat(slices).hasSize(1);
        ObjectNode slice = slices.getFirst();
        JsonNode metadata = slice.path("metadata");
        assertThat(metadata.path("name").asText()).startsWith("web-");
        assertThat(metadata.path("generateName").asText()).isEqualTo("web-");
        assertThat(metadata.path("labels")).isEqualTo(TestCluster.object("""
                {"tier":"front","kubernetes.io/service-name":"web",
                 "endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io"}"""));
        assertThat(metadata.path("ownerReferences")).isEqualTo(TestCluster.object("""
                {"o":[{"apiVersion":"v1","kind":"Service","name":"web","uid":"%s","controller":true,
                      "blockOwnerDeletion":true}]}""".formatted(service.path("metadata").path("uid").asText()))
                .path("o"));
        assertThat(slice.path("addressType").asText()).isEqualTo("IPv4");
        assertThat(slice.path("ports")).isEqualTo(TestCluster.object(
                "{\"p\":[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]}").path("p"));
        Map<String, JsonNode> endpoints = endpointsByPod(ns);
        assertThat(endpoints.keySet()).containsExactly("web-1", "web-2", "web-3");
        assertThat(endpoints.get("web-1")).isEqualTo(TestCluster.object("""
                {"addresses":["10.1.0.1"],"conditions":{"ready":true,"serving":true,"terminating":false},
                 "targetRef":{"kind":"Pod","namespace":"%s","name":"web-1","uid":"%s"},
                 "nodeName":"node-a","zone":"zone-1"}""".formatted(ns, ready.path("metadata").path("uid").asText())));
        assertThat(endpoints.get("web-2").path("conditions")).isEqualTo(TestCluster.object(
                "{\"ready\":false,\"serving\":false,\"terminating\":false}"));
        assertThat(endpoints.get("web-2").has("zone")).isFalse(); // node-b has no zone label
        assertThat(endpoints.get("web-3").path("conditions")).isEqualTo(TestCluster.object(
                "{\"ready\":false,\"serving\":true,\"terminating\":true}"));
        assertThat(metadata.path("annotations").path("endpoints.kubernetes.io/last-change-trigger-time").asText())
                .isEqualTo(service.path("metadata").path("creationTimestamp").asText());
    }

    @Test
    void aRepeatedReconcileWritesNothing() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        FIXTURES.webPod(ns, "web-1", "node-a", "10.1.0.1", true);
        reconcile("services", ns, "web");
        String version = slices(ns).getFirst().path("metadata").path("resourceVersion").asText();

        assertThat(reconcile("services", ns, "web")).isEqualTo(Result.DONE);
        assertThat(reconcile("pods", ns, "web-1")).isEqualTo(Result.DONE);

        assertThat(slices(ns)).hasSize(1);
        assertThat(slices(ns).getFirst().path("metadata").path("resourceVersion").asText()).isEqualTo(version);
    }

    @Test
    void aServiceWithoutPodsHasOnePlaceholderSlice() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");

        reconcile("services", ns, "web");
        reconcile("services", ns, "web");

        List<ObjectNode> slices = slices(ns);
        assertThat(slices).hasSize(1);
        assertThat(slices.getFirst().path("endpoints")).isEmpty();
        assertThat(slices.getFirst().path("ports")).isEmpty();
    }

    @Test
    void fullSlicesSplitAndChangesStayInTheSlicesThatHoldThem() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        for (int i = 1; i <= 5; i++) {
            FIXTURES.webPod(ns, "web-" + i, "node-a", "10.1.0." + i, true);
        }
        small.reconcile(new ObjectKey("services", ns, "web"));
        List<ObjectNode> before = slices(ns);
        assertThat(before).extracting(s -> s.path("endpoints").size()).containsExactlyInAnyOrder(2, 2, 1);

        // One pod goes away: only its slice changes; the others keep their resourceVersion.
        ADMIN.delete(ResourceType.PODS, ns, "web-1", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0}"));
        small.reconcile(new ObjectKey("pods", ns, "web-1"));

        List<ObjectNode> after = slices(ns);
        assertThat(after).extracting(s -> s.path("metadata").path("name").asText())
                .containsExactlyElementsOf(before.stream().map(s -> s.path("metadata").path("name").asText())
                        .toList());
        int changed = 0;
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).path("metadata").path("resourceVersion")
                    .equals(after.get(i).path("metadata").path("resourceVersion"))) {
                changed++;
                assertThat(before.get(i).path("endpoints").toString()).contains("\"web-1\"");
            }
        }
        assertThat(changed).isEqualTo(1);
        assertThat(endpointsByPod(ns).keySet()).containsExactly("web-2", "web-3", "web-4", "web-5");
    }

    @Test
    void podsWithDifferentPortNumbersForTheNamedPortGetSeparateSlices() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        FIXTURES.webPod(ns, "old", "node-a", "10.1.0.1", true);
        FIXTURES.running(FIXTURES.pod(ns, "new", WEB, "node-a", "[{\"name\":\"http\",\"containerPort\":9090}]"),
                "10.1.0.2", true);

        reconcile("services", ns, "web");

        Map<Integer, String> podByPort = new TreeMap<>();
        for (ObjectNode slice : slices(ns)) {
            assertThat(slice.path("endpoints")).hasSize(1);
            podByPort.put(slice.at("/ports/0/port").asInt(), slice.at("/endpoints/0/targetRef/name").asText());
        }
        assertThat(podByPort).isEqualTo(Map.of(8080, "old", 9090, "new"));
    }

    @Test
    void aPodKeyRemovesAPodFromTheServiceThatNoLongerSelectsIt() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        FIXTURES.webPod(ns, "web-1", "node-a", "10.1.0.1", true);
        FIXTURES.webPod(ns, "web-2", "node-a", "10.1.0.2", true);
        reconcile("services", ns, "web");

        ObjectNode relabel = ADMIN.mapper().createObjectNode();
        relabel.putObject("metadata").putObject("labels").put("app", "elsewhere");
        ADMIN.mergePatch(ResourceType.PODS, ns, "web-1", "", relabel);
        reconcile("pods", ns, "web-1");

        assertThat(endpointsByPod(ns).keySet()).containsExactly("web-2");
    }

    @Test
    void aPodOnAMissingNodeIsLeftOutAndTheServiceLookedAtAgain() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        FIXTURES.webPod(ns, "web-1", "node-a", "10.1.0.1", true);
        FIXTURES.webPod(ns, "lost", "node-gone", "10.1.0.2", true);

        assertThat(reconcile("services", ns, "web")).isEqualTo(Result.requeueAfter(Duration.ofSeconds(1)));
        assertThat(endpointsByPod(ns).keySet()).containsExactly("web-1");
        assertThat(reconcile("services", ns, "web")).isEqualTo(Result.requeueAfter(Duration.ofSeconds(30)));
    }

    @Test
    void aDeletedServiceOrOneWithoutSelectorGetsNothing() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.service(ns, "external", "{}", "{\"ports\":[{\"port\":5432}]}");

        assertThat(reconcile("services", ns, "external")).isEqualTo(Result.DONE);
        assertThat(reconcile("services", ns, "never-existed")).isEqualTo(Result.DONE);
        assertThat(ADMIN.list(ResourceType.ENDPOINT_SLICES, ns, "", "")).isEmpty();
    }

    @Test
    void theKeysOfChanges() {
        ObjectNode managed = TestCluster.object("""
                {"metadata":{"name":"web-abc","namespace":"ns","labels":{"kubernetes.io/service-name":"web",
                 "endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io"}}}""");
        ObjectNode foreign = TestCluster.object("""
                {"metadata":{"name":"web-x","namespace":"ns","labels":{"kubernetes.io/service-name":"web",
                 "endpointslice.kubernetes.io/managed-by":"someone-else"}}}""");
        ObjectKey slice = new ObjectKey("discovery.k8s.io/endpointslices", "ns", "web-abc");
        assertThat(loop.keys().keysFor(new WatchEvent(WatchEvent.Type.DELETED, 9, slice, managed, 8)))
                .containsExactly(new ObjectKey("services", "ns", "web"));
        assertThat(loop.keys().keysFor(new WatchEvent(WatchEvent.Type.MODIFIED, 9, slice, managed, 8))).isEmpty();
        assertThat(loop.keys().keysFor(new WatchEvent(WatchEvent.Type.DELETED, 9, slice, foreign, 8))).isEmpty();
        assertThat(loop.keys().keysFor(new WatchEvent(WatchEvent.Type.ADDED, 9,
                new ObjectKey("services", "ns", "web"), managed, 0)))
                .containsExactly(new ObjectKey("services", "ns", "web"));
    }
}
