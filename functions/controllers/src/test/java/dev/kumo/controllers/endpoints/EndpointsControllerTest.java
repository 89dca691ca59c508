package dev.kumo.controllers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static dev.kumo.controllers.endpoints.ServiceFixtures.HTTP;
import static dev.kumo.controllers.endpoints.ServiceFixtures.WEB;
import static org.assertj.core.api.Assertions.assertThat;

/** The endpoints controller: one reconcile of one key against the real API, asserting what it wrote. */
class EndpointsControllerTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();
    private static final ServiceFixtures FIXTURES = new ServiceFixtures(ADMIN);

    private final ControllerContext context = CLUSTER.controllerContext(EndpointsController.COMPONENT,
            Clock.systemUTC());
    private final ControlLoop loop = EndpointsController.loop(context);

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    private Result reconcile(String resource, String namespace, String name) throws Exception {
        return loop.reconciler().reconcile(new ObjectKey(resource, namespace, name));
    }

    private static ObjectNode endpoints(String namespace, String name) {
        return ADMIN.get(ResourceType.ENDPOINTS, namespace, name).orElseThrow();
    }

    @Test
    void readyPodsAreAddressesNotReadyOnesNotReadyAddressesAndPodsWithoutAddressAreLeftOut() throws Exception {
        String ns = FIXTURES.namespace();
        ObjectNode service = FIXTURES.webService(ns, "");
        ObjectNode ready = FIXTURES.webPod(ns, "web-1", "node-a", "10.1.0.1", true);
        FIXTURES.webPod(ns, "web-2", "node-b", "10.1.0.2", false);
        FIXTURES.pod(ns, "web-3", WEB, "", HTTP); // pending: no address
        FIXTURES.running(FIXTURES.pod(ns, "other", "{\"app\":\"other\"}", "node-a", HTTP), "10.1.0.9", true);

        assertThat(reconcile("services", ns, "web")).isEqualTo(Result.DONE);

        ObjectNode endpoints = endpoints(ns, "web");
        assertThat(endpoints.path("subsets")).isEqualTo(TestCluster.object("""
                {"s":[{"addresses":[{"ip":"10.1.0.1","nodeName":"node-a","targetRef":{"kind":"Pod",
                   "namespace":"%s","name":"web-1","uid":"%s"}}],
                 "notReadyAddresses":[{"ip":"10.1.0.2","nodeName":"node-b","targetRef":{"kind":"Pod",
                   "namespace":"%s","name":"web-2","uid":"%s"}}],
                 "ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}"""
                .formatted(ns, ready.path("metadata").path("uid").asText(), ns,
                        uid(ns, "web-2"))).path("s"));
        assertThat(endpoints.path("metadata").path("labels").path("tier").asText()).isEqualTo("front");
        assertThat(endpoints.path("metadata").path("labels").path("endpoints.kubernetes.io/managed-by").asText())
                .isEqualTo("endpoint-controller");
        assertThat(endpoints.path("metadata").path("labels").has("service.kubernetes.io/headless")).isFalse();
        // A new Endpoints reports the service's creation as its trigger.
        assertThat(endpoints.path("metadata").path("annotations")
                .path("endpoints.kubernetes.io/last-change-trigger-time").asText())
                .isEqualTo(service.path("metadata").path("creationTimestamp").asText());
    }

    @Test
    void aRepeatedReconcileWritesNothing() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        FIXTURES.webPod(ns, "web-1", "node-a", "10.1.0.1", true);
        reconcile("services", ns, "web");
        String version = endpoints(ns, "web").path("metadata").path("resourceVersion").asText();

        reconcile("services", ns, "web");
        reconcile("pods", ns, "web-1");

        assertThat(endpoints(ns, "web").path("metadata").path("resourceVersion").asText()).isEqualTo(version);
    }

    @Test
    void namedPortsWithDifferentNumbersLandInDifferentSubsets() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        FIXTURES.webPod(ns, "old", "node-a", "10.1.0.1", true);
        FIXTURES.running(FIXTURES.pod(ns, "new", WEB, "node-a", "[{\"name\":\"http\",\"containerPort\":9090}]"),
                "10.1.0.2", true);
        FIXTURES.running(FIXTURES.pod(ns, "portless", WEB, "node-a", "[]"), "10.1.0.3", true);

        reconcile("services", ns, "web");

        JsonNode subsets = endpoints(ns, "web").path("subsets");
        assertThat(subsets).hasSize(2);
        assertThat(subsets.get(0).at("/addresses/0/ip").asText()).isEqualTo("10.1.0.1");
        assertThat(subsets.get(0).at("/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(subsets.get(1).at("/addresses/0/ip").asText()).isEqualTo("10.1.0.2");
        assertThat(subsets.get(1).at("/ports/0/port").asInt()).isEqualTo(9090);
        // A pod without the named port offers nothing for it, so it is in no subset.
        assertThat(subsets.toString()).doesNotContain("10.1.0.3");
    }

    @Test
    void aPodOfferingOnlySomePortsGetsItsOwnSubset() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.service(ns, "web", "{}", """
                {"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":"http"},
                 {"name":"metrics","port":9100,"targetPort":9100}]}""");
        FIXTURES.webPod(ns, "a", "node-a", "10.1.0.1", true);
        FIXTURES.running(FIXTURES.pod(ns, "b", WEB, "node-a", "[]"), "10.1.0.2", true);

        reconcile("services", ns, "web");

        JsonNode subsets = endpoints(ns, "web").path("subsets");
        // Both offer metrics (a number); only a offers http (a name): a's subset has both ports.
        assertThat(subsets).hasSize(2);
        assertThat(subsets.get(0).at("/addresses/0/ip").asText()).isEqualTo("10.1.0.1");
        assertThat(subsets.get(0).path("addresses")).hasSize(1);
        assertThat(subsets.get(0).path("ports")).hasSize(1);
        assertThat(subsets.get(0).at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(subsets.get(1).path("addresses")).hasSize(2);
        assertThat(subsets.get(1).at("/ports/0/name").asText()).isEqualTo("metrics");
    }

    @Test
    void terminatingAndFailedPodsAreLeftOut() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        FIXTURES.webPod(ns, "stays", "node-a", "10.1.0.1", true);
        FIXTURES.webPod(ns, "going", "node-a", "10.1.0.2", true);
        FIXTURES.failed(FIXTURES.webPod(ns, "failed", "node-a", "10.1.0.3", false));
        ADMIN.delete(ResourceType.PODS, ns, "going", null, null); // on a node: graceful, stays terminating

        reconcile("services", ns, "web");

        JsonNode subsets = endpoints(ns, "web").path("subsets");
        assertThat(subsets).hasSize(1);
        assertThat(subsets.get(0).path("addresses")).hasSize(1);
        assertThat(subsets.get(0).has("notReadyAddresses")).isFalse();
        assertThat(subsets.get(0).at("/addresses/0/ip").asText()).isEqualTo("10.1.0.1");
    }

    @Test
    void publishNotReadyAddressesPublishesNotReadyAndTerminatingPodsAsAddresses() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, ",\"publishNotReadyAddresses\":true");
        FIXTURES.webPod(ns, "ready", "node-a", "10.1.0.1", true);
        FIXTURES.webPod(ns, "unready", "node-a", "10.1.0.2", false);
        FIXTURES.webPod(ns, "going", "node-a", "10.1.0.3", true);
        ADMIN.delete(ResourceType.PODS, ns, "going", null, null);

        reconcile("services", ns, "web");

        JsonNode subset = endpoints(ns, "web").path("subsets").get(0);
        assertThat(subset.path("addresses")).extracting(a -> a.path("ip").asText())
                .containsExactly("10.1.0.1", "10.1.0.2", "10.1.0.3");
        assertThat(subset.has("notReadyAddresses")).isFalse();
    }

    @Test
    void headlessServicesGetTheHostnameOfPodsInTheirSubdomainAndTheHeadlessLabel() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.service(ns, "db", "{}", "{\"clusterIP\":\"None\",\"selector\":{\"app\":\"db\"}}");
        ObjectNode pod = TestCluster.object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"db-0","labels":{"app":"db"}},
                 "spec":{"hostname":"db-0","subdomain":"db","nodeName":"node-a",
                         "containers":[{"name":"c","image":"postgres"}]}}""");
        FIXTURES.running(ADMIN.create(ResourceType.PODS, ns, pod), "10.1.0.5", true);

        reconcile("services", ns, "db");

        ObjectNode endpoints = endpoints(ns, "db");
        JsonNode subset = endpoints.path("subsets").get(0);
        assertThat(subset.at("/addresses/0/hostname").asText()).isEqualTo("db-0");
        assertThat(subset.has("ports")).isFalse(); // a headless service without ports
        assertThat(endpoints.path("metadata").path("labels").has("service.kubernetes.io/headless")).isTrue();
    }

    @Test
    void aServiceWithoutSelectorIsLeftAlone() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.service(ns, "external", "{}", "{\"ports\":[{\"port\":5432}]}");
        ObjectNode manual = ADMIN.create(ResourceType.ENDPOINTS, ns, TestCluster.object("""
                {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"external"},
                 "subsets":[{"addresses":[{"ip":"192.168.1.10"}],"ports":[{"port":5432}]}]}"""));

        reconcile("services", ns, "external");

        assertThat(endpoints(ns, "external").path("metadata").path("resourceVersion"))
                .isEqualTo(manual.path("metadata").path("resourceVersion"));
    }

    @Test
    void aDeletedServicesEndpointsAreDeletedEvenWhenTheKeyComesLate() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        FIXTURES.webPod(ns, "web-1", "node-a", "10.1.0.1", true);
        reconcile("services", ns, "web");
        ADMIN.delete(ResourceType.SERVICES, ns, "web", null, null);

        assertThat(reconcile("services", ns, "web")).isEqualTo(Result.DONE);
        assertThat(ADMIN.get(ResourceType.ENDPOINTS, ns, "web")).isEmpty();
        // Once more (a duplicate message): nothing left to do, no failure.
        assertThat(reconcile("services", ns, "web")).isEqualTo(Result.DONE);
    }

    @Test
    void aPodKeyUpdatesTheServicesThatSelectItAndThoseThatUsedTo() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        FIXTURES.service(ns, "canary", "{}", """
                {"selector":{"track":"canary"},"ports":[{"name":"http","port":80,"targetPort":"http"}]}""");
        ObjectNode pod = FIXTURES.webPod(ns, "web-1", "node-a", "10.1.0.1", true);
        reconcile("services", ns, "web");
        reconcile("services", ns, "canary");
        assertThat(endpoints(ns, "canary").has("subsets")).isFalse();

        // Relabelled: web no longer selects it, canary now does; one pod key fixes both.
        ObjectNode relabel = ADMIN.mapper().createObjectNode();
        relabel.putObject("metadata").putObject("labels").putNull("app").put("track", "canary");
        ADMIN.mergePatch(ResourceType.PODS, ns, "web-1", "", relabel);
        reconcile("pods", ns, "web-1");

        assertThat(endpoints(ns, "web").has("subsets")).isFalse();
        assertThat(endpoints(ns, "canary").at("/subsets/0/addresses/0/targetRef/uid").asText())
                .isEqualTo(pod.path("metadata").path("uid").asText());

        // Deleted: the service that listed it lets it go.
        ADMIN.delete(ResourceType.PODS, ns, "web-1", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0}"));
        reconcile("pods", ns, "web-1");
        assertThat(endpoints(ns, "canary").has("subsets")).isFalse();
    }

    @Test
    void aPodBecomingReadyMovesItToAddressesWithItsReadyTimeAsTrigger() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        ObjectNode pod = FIXTURES.running(FIXTURES.pod(ns, "web-1", WEB, "node-a", HTTP), "10.1.0.1", false,
                Instant.now().minusSeconds(60));
        reconcile("services", ns, "web");
        assertThat(endpoints(ns, "web").at("/subsets/0/notReadyAddresses/0/ip").asText()).isEqualTo("10.1.0.1");

        Instant readyAt = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        FIXTURES.running(pod, "10.1.0.1", true, readyAt);
        reconcile("pods", ns, "web-1");

        ObjectNode endpoints = endpoints(ns, "web");
        assertThat(endpoints.at("/subsets/0/addresses/0/ip").asText()).isEqualTo("10.1.0.1");
        assertThat(endpoints.path("metadata").path("annotations")
                .path("endpoints.kubernetes.io/last-change-trigger-time").asText()).isEqualTo(readyAt.toString());
    }

    @Test
    void tamperedLabelsArePutRight() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        reconcile("services", ns, "web");
        ObjectNode tamper = ADMIN.mapper().createObjectNode();
        tamper.putObject("metadata").putObject("labels").put("extra", "x").putNull("tier");
        ADMIN.mergePatch(ResourceType.ENDPOINTS, ns, "web", "", tamper);

        reconcile("services", ns, "web");

        assertThat(endpoints(ns, "web").path("metadata").path("labels")).isEqualTo(TestCluster.object(
                "{\"tier\":\"front\",\"endpoints.kubernetes.io/managed-by\":\"endpoint-controller\"}"));
    }

    @Test
    void theResyncListsTheServicesWithASelectorEveryHalfHour() throws Exception {
        String ns = FIXTURES.namespace();
        FIXTURES.webService(ns, "");
        FIXTURES.service(ns, "external", "{}", "{\"ports\":[{\"port\":5432}]}");
        Instant onTheHour = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 3600 * 3600);

        ControlLoop due = EndpointsController.loop(CLUSTER.controllerContext(EndpointsController.COMPONENT,
                Clock.fixed(onTheHour, java.time.ZoneOffset.UTC)));
        ControlLoop notDue = EndpointsController.loop(CLUSTER.controllerContext(EndpointsController.COMPONENT,
                Clock.fixed(onTheHour.plusSeconds(60), java.time.ZoneOffset.UTC)));

        assertThat(due.resync().keys()).contains(new ObjectKey("services", ns, "web"))
                .doesNotContain(new ObjectKey("services", ns, "external"));
        assertThat(notDue.resync().keys()).isEmpty();
    }

    @Test
    void theKeysOfChanges() {
        ObjectNode withIp = TestCluster.object("{\"metadata\":{\"name\":\"p\"},\"status\":{\"podIP\":\"10.0.0.1\"}}");
        ObjectNode withoutIp = TestCluster.object("{\"metadata\":{\"name\":\"p\"},\"status\":{}}");
        ObjectNode endpoints = TestCluster.object("{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\"}}");
        record Case(WatchEvent.Type type, ObjectKey key, ObjectNode object, List<ObjectKey> expected) {
        }
        List<Case> cases = List.of(
                new Case(WatchEvent.Type.ADDED, new ObjectKey("services", "ns", "web"), endpoints,
                        List.of(new ObjectKey("services", "ns", "web"))),
                new Case(WatchEvent.Type.DELETED, new ObjectKey("services", "ns", "web"), endpoints,
                        List.of(new ObjectKey("services", "ns", "web"))),
                new Case(WatchEvent.Type.MODIFIED, new ObjectKey("pods", "ns", "p"), withIp,
                        List.of(new ObjectKey("pods", "ns", "p"))),
                new Case(WatchEvent.Type.DELETED, new ObjectKey("pods", "ns", "p"), withIp,
                        List.of(new ObjectKey("pods", "ns", "p"))),
                new Case(WatchEvent.Type.MODIFIED, new ObjectKey("pods", "ns", "p"), withoutIp, List.of()),
                new Case(WatchEvent.Type.DELETED, new ObjectKey("endpoints", "ns", "web"), endpoints,
                        List.of(new ObjectKey("services", "ns", "web"))),
                new Case(WatchEvent.Type.MODIFIED, new ObjectKey("endpoints", "ns", "web"), endpoints, List.of()),
                new Case(WatchEvent.Type.ADDED, new ObjectKey("configmaps", "ns", "x"), endpoints, List.of()));
        for (Case c : cases) {
            assertThat(loop.keys().keysFor(new WatchEvent(c.type(), 5, c.key(), c.object(), 4)))
                    .as(c.type() + " " + c.key()).isEqualTo(c.expected());
        }
    }

    private static String uid(String namespace, String pod) {
        return ADMIN.get(ResourceType.PODS, namespace, pod).orElseThrow().path("metadata").path("uid").asText();
    }
}
