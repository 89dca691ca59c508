package dev.kumo.controllers.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The namespace controller: one reconcile of one namespace key against the real API. */
class NamespaceControllerTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();

    /** A clock the test moves: the pods' grace periods pass without sleeping. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.now();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    private final MovableClock clock = new MovableClock();
    private final ControlLoop loop = NamespaceController.loop(
            CLUSTER.controllerContext(NamespaceController.COMPONENT, clock));

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    private Result reconcile(String namespace) throws Exception {
        return loop.reconciler().reconcile(ObjectKey.cluster("namespaces", namespace));
    }

    private static String namespace(String spec) {
        String name = "ns-" + UUID.randomUUID().toString().substring(0, 8);
        ADMIN.create(ResourceType.NAMESPACES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":"
                        + spec + "}"));
        return name;
    }

    private static void configMap(String namespace, String name, String finalizers) {
        ADMIN.create(ResourceType.CONFIG_MAPS, namespace, TestCluster.object("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","finalizers":%s},"data":{"a":"b"}}"""
                .formatted(name, finalizers)));
    }

    private static void pod(String namespace, String name, String node) {
        ObjectNode pod = TestCluster.object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{"terminationGracePeriodSeconds":30,"containers":[{"name":"c","image":"nginx"}]}}"""
                .formatted(name));
        if (!node.isEmpty()) {
            ((ObjectNode) pod.path("spec")).put("nodeName", node);
        }
        ADMIN.create(ResourceType.PODS, namespace, pod);
    }

    private static JsonNode condition(String namespace, String type) {
        for (JsonNode condition : ADMIN.get(ResourceType.NAMESPACES, "", namespace).orElseThrow()
                .path("status").path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return condition;
            }
        }
        throw new AssertionError("no condition " + type + " on " + namespace);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "kube-system", "kube-public", "kube-node-lease"})
    void theSystemNamespacesExistAndAreLeftAlone(String name) throws Exception {
        ObjectNode before = CLUSTER.controllerManager().get(ResourceType.NAMESPACES, "", name).orElseThrow();
        assertThat(before.path("status").path("phase").asText()).isEqualTo("Active");

        assertThat(reconcile(name)).isEqualTo(Result.DONE);

        assertThat(ADMIN.get(ResourceType.NAMESPACES, "", name).orElseThrow().path("metadata")
                .path("resourceVersion")).isEqualTo(before.path("metadata").path("resourceVersion"));
    }

    @Test
    void aDeleteOnlyMarksTheNamespaceTerminatingWithTheKubernetesFinalizer() {
        String ns = namespace("{}");

        ADMIN.delete(ResourceType.NAMESPACES, "", ns, null, null);

        ObjectNode namespace = ADMIN.get(ResourceType.NAMESPACES, "", ns).orElseThrow();
        assertThat(namespace.path("status").path("phase").asText()).isEqualTo("Terminating");
        assertThat(namespace.path("metadata").has("deletionTimestamp")).isTrue();
        assertThat(namespace.path("spec").path("finalizers").toString()).isEqualTo("[\"kubernetes\"]");
    }

    @Test
    void podsGoFirstThenTheRestThenTheNamespace() throws Exception {
        String ns = namespace("{}");
        configMap(ns, "settings", "[]");
        ADMIN.create(ResourceType.DEPLOYMENTS, ns, TestCluster.object("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                 "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
                   "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""));
        pod(ns, "pending", "");
        pod(ns, "running", "node-a"); // on a node: graceful, stays until its node agent confirms
        ADMIN.delete(ResourceType.NAMESPACES, "", ns, null, null);

        Result first = reconcile(ns);

        // The pods' grace (30 s) has not passed: wait half of it plus a second; nothing else deleted yet.
        assertThat(first).isEqualTo(Result.requeueAfter(Duration.ofSeconds(16)));
        assertThat(ADMIN.get(ResourceType.PODS, ns, "pending")).isEmpty();
        assertThat(ADMIN.get(ResourceType.PODS, ns, "running").orElseThrow().path("metadata")
                .has("deletionTimestamp")).isTrue();
        assertThat(ADMIN.get(ResourceType.CONFIG_MAPS, ns, "settings")).isPresent();
        JsonNode remaining = condition(ns, "NamespaceContentRemaining");
        assertThat(remaining.path("status").asText()).isEqualTo("True");
        assertThat(remaining.path("reason").asText()).isEqualTo("SomeResourcesRemain");
        assertThat(remaining.path("message").asText())
                .isEqualTo("Some resources are remaining: pods. has 1 resource instances");
        assertThat(condition(ns, "NamespaceDeletionDiscoveryFailure").path("reason").asText())
                .isEqualTo("ResourcesDiscovered");
        assertThat(condition(ns, "NamespaceFinalizersRemaining").path("status").asText()).isEqualTo("False");

        // The node agent confirms the pod stopped.
        ADMIN.delete(ResourceType.PODS, ns, "running", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0}"));

        assertThat(reconcile(ns)).isEqualTo(Result.DONE);
        assertThat(ADMIN.get(ResourceType.NAMESPACES, "", ns)).isEmpty();
        assertThat(ADMIN.list(ResourceType.CONFIG_MAPS, ns, "", "")).isEmpty();
        assertThat(ADMIN.list(ResourceType.DEPLOYMENTS, ns, "", "")).isEmpty();
        // A late or repeated key for a namespace that is gone does nothing.
        assertThat(reconcile(ns)).isEqualTo(Result.DONE);
    }

    @Test
    void podsPastTheirGraceAreReportedAsUnexpectedAndRetried() throws Exception {
        String ns = namespace("{}");
        pod(ns, "stuck", "node-a");
        ADMIN.delete(ResourceType.NAMESPACES, "", ns, null, null);
        clock.advance(Duration.ofSeconds(31));

        assertThat(reconcile(ns)).isEqualTo(Result.requeueAfter(Duration.ofSeconds(15)));

        JsonNode failure = condition(ns, "NamespaceDeletionContentFailure");
        assertThat(failure.path("status").asText()).isEqualTo("True");
        assertThat(failure.path("reason").asText()).isEqualTo("ContentDeletionFailed");
        assertThat(failure.path("message").asText()).isEqualTo("Failed to delete all resource types, 1 remaining: "
                + "unexpected items still remain in namespace: " + ns + " for gvr: /v1, Resource=pods");
    }

    @Test
    void contentHeldByAFinalizerKeepsTheNamespaceUntilTheFinalizerGoes() throws Exception {
        String ns = namespace("{}");
        configMap(ns, "held", "[\"example.com/hold\"]");
        ADMIN.delete(ResourceType.NAMESPACES, "", ns, null, null);

        assertThat(reconcile(ns)).isEqualTo(Result.requeueAfter(Duration.ofSeconds(8)));

        assertThat(condition(ns, "NamespaceContentRemaining").path("message").asText())
                .isEqualTo("Some resources are remaining: configmaps. has 1 resource instances");
        JsonNode finalizers = condition(ns, "NamespaceFinalizersRemaining");
        assertThat(finalizers.path("reason").asText()).isEqualTo("SomeFinalizersRemain");
        assertThat(finalizers.path("message").asText()).isEqualTo(
                "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
        String version = ADMIN.get(ResourceType.NAMESPACES, "", ns).orElseThrow().path("metadata")
                .path("resourceVersion").asText();
        // Again, nothing new: the conditions are not rewritten.
        reconcile(ns);
        assertThat(ADMIN.get(ResourceType.NAMESPACES, "", ns).orElseThrow().path("metadata")
                .path("resourceVersion").asText()).isEqualTo(version);

        ObjectNode release = ADMIN.mapper().createObjectNode();
        release.putObject("metadata").putNull("finalizers");
        ADMIN.mergePatch(ResourceType.CONFIG_MAPS, ns, "held", "", release);

        assertThat(reconcile(ns)).isEqualTo(Result.DONE);
        assertThat(ADMIN.get(ResourceType.NAMESPACES, "", ns)).isEmpty();
    }

    @Test
    void otherSpecFinalizersAreKeptAndHoldTheNamespace() throws Exception {
        String ns = namespace("{\"finalizers\":[\"example.com/custom\"]}");
        ADMIN.delete(ResourceType.NAMESPACES, "", ns, null, null);

        assertThat(reconcile(ns)).isEqualTo(Result.DONE);

        ObjectNode namespace = ADMIN.get(ResourceType.NAMESPACES, "", ns).orElseThrow();
        assertThat(namespace.path("spec").path("finalizers").toString()).isEqualTo("[\"example.com/custom\"]");
        assertThat(namespace.path("status").path("phase").asText()).isEqualTo("Terminating");
        // Finalized by us: a repeat does nothing more.
        assertThat(reconcile(ns)).isEqualTo(Result.DONE);
    }

    @Test
    void anActiveNamespaceIsNotTouched() throws Exception {
        String ns = namespace("{}");
        configMap(ns, "settings", "[]");

        assertThat(reconcile(ns)).isEqualTo(Result.DONE);

        assertThat(ADMIN.get(ResourceType.CONFIG_MAPS, ns, "settings")).isPresent();
    }

    @Test
    void theResyncListsTheTerminatingNamespacesEveryFiveMinutes() throws Exception {
        String ns = namespace("{\"finalizers\":[\"example.com/custom\"]}");
        String active = namespace("{}");
        ADMIN.delete(ResourceType.NAMESPACES, "", ns, null, null);

        clock.now = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 300 * 300 + 300);
        assertThat(loop.resync().keys()).contains(ObjectKey.cluster("namespaces", ns))
                .doesNotContain(ObjectKey.cluster("namespaces", active));
        clock.advance(Duration.ofMinutes(1));
        assertThat(loop.resync().keys()).isEmpty();
    }

    @Test
    void theKeysOfChanges() {
        ObjectNode deleting = TestCluster.object(
                "{\"metadata\":{\"name\":\"a\",\"deletionTimestamp\":\"2025-01-01T00:00:00Z\"}}");
        ObjectNode active = TestCluster.object("{\"metadata\":{\"name\":\"a\"}}");
        ObjectKey key = ObjectKey.cluster("namespaces", "a");
        assertThat(loop.keys().keysFor(new WatchEvent(WatchEvent.Type.MODIFIED, 3, key, deleting, 2)))
                .containsExactly(key);
        assertThat(loop.keys().keysFor(new WatchEvent(WatchEvent.Type.MODIFIED, 3, key, active, 2))).isEmpty();
        assertThat(loop.keys().keysFor(new WatchEvent(WatchEvent.Type.DELETED, 3, key, deleting, 2))).isEmpty();
        assertThat(loop.keys().keysFor(new WatchEvent(WatchEvent.Type.ADDED, 3,
                new ObjectKey("configmaps", "a", "x"), deleting, 0))).isEqualTo(List.of());
    }
}
