package dev.kumo.e2e.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Manifests;
import dev.kumo.e2e.support.NamespaceDefaults;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl delete} with each cascade mode, as in Kubernetes: the garbage collector (a control loop fed by the
 * store's stream) deletes a background-deleted owner's dependents, deletes a foreground-deleted owner's dependents
 * before the owner, and removes an orphaned owner's references from its dependents; and
 * {@code kubectl wait --for=delete}.
 */
@ExtendWith(SharedCluster.class)
class KubectlDeleteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A loop's reaction: stream, fan-out, queue, reconcile. */
    private static final Duration LOOP = Duration.ofSeconds(60);
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    private final KumoCluster cluster;

    KubectlDeleteTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void backgroundDeletionRemovesTheOwnerAtOnceAndItsDependentsAfter(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("delete-bg-" + version);
        String owner = createOwnerWithDependent(kubectl, ns);

        Kubectl.Result deleted = kubectl.run("delete", "configmap", "owner", "-n", ns, "--cascade=background").ok();

        assertThat(deleted.out()).isEqualTo("configmap \"owner\" deleted\n");
        assertThat(kubectl.run("get", "configmap", "owner", "-n", ns).failed().err())
                .contains("configmaps \"owner\" not found");
        Poll.until(LOOP, "the dependent of " + owner + " collected",
                () -> cluster.api().get("/api/v1/namespaces/" + ns + "/configmaps/dependent").status(),
                status -> status == 404);
    }

    @ForEachKubectl
    void foregroundDeletionRemovesTheDependentsFirstThenTheOwner(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("delete-fg-" + version);
        createOwnerWithDependent(kubectl, ns);
        // The dependent is held, so the owner must wait for it: what blockOwnerDeletion means.
        kubectl.run("patch", "configmap", "dependent", "-n", ns, "--type=merge", "-p",
                "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}").ok();

        Kubectl.Result deleted = kubectl.run("delete", "configmap", "owner", "-n", ns, "--cascade=foreground",
                "--wait=false").ok();

        assertThat(deleted.out()).isEqualTo("configmap \"owner\" deleted\n");
        JsonNode dependent = Poll.until(LOOP, "the dependent marked for deletion", () -> get(kubectl, ns, "dependent"),
                object -> object.path("metadata").has("deletionTimestamp"));
        // The collector deleted the dependent (its finalizer holds it); the owner waits with its own finalizer.
        assertThat(dependent.path("metadata").path("deletionTimestamp").asText()).matches(TIMESTAMP);
        assertThat(dependent.path("metadata").path("finalizers"))
                .containsExactly(JSON.getNodeFactory().textNode("example.com/hold"));
        JsonNode ownerNow = get(kubectl, ns, "owner");
        assertThat(ownerNow.path("metadata").path("deletionTimestamp").asText()).matches(TIMESTAMP);
        assertThat(ownerNow.path("metadata").path("finalizers"))
                .containsExactly(JSON.getNodeFactory().textNode("foregroundDeletion"));

        kubectl.run("patch", "configmap", "dependent", "-n", ns, "--type=merge", "-p",
                "{\"metadata\":{\"finalizers\":null}}").ok();

        kubectl.run("wait", "--for=delete", "configmap/owner", "-n", ns, "--timeout=" + LOOP.toSeconds() + "s").ok();
        cluster.api().get("/api/v1/namespaces/" + ns + "/configmaps/dependent").expect(404);
    }

    @ForEachKubectl
    void orphanDeletionKeepsTheDependentsWithoutTheirOwner(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("delete-orphan-" + version);
        createOwnerWithDependent(kubectl, ns);

        Kubectl.Result deleted = kubectl.run("delete", "configmap", "owner", "-n", ns, "--cascade=orphan").ok();

        assertThat(deleted.out()).isEqualTo("configmap \"owner\" deleted\n");
        cluster.api().get("/api/v1/namespaces/" + ns + "/configmaps/owner").expect(404);
        JsonNode dependent = get(kubectl, ns, "dependent");
        assertThat(dependent.path("metadata").path("ownerReferences").isMissingNode()
                || dependent.path("metadata").path("ownerReferences").isEmpty()).isTrue();
        assertThat(dependent.path("metadata").has("deletionTimestamp")).isFalse();
    }

    /** A ConfigMap "owner" and a ConfigMap "dependent" that it owns (blockOwnerDeletion); returns the owner's uid. */
    private static String createOwnerWithDependent(Kubectl kubectl, String ns) throws Exception {
        kubectl.runWithInput(Manifests.configMap(ns, "owner", Map.of(), Map.of()), "create", "-f", "-").ok();
        String uid = get(kubectl, ns, "owner").path("metadata").path("uid").asText();
        kubectl.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: dependent
                  namespace: %s
                  ownerReferences:
                  - apiVersion: v1
                    kind: ConfigMap
                    name: owner
                    uid: %s
                    blockOwnerDeletion: true
                """.formatted(ns, uid), "create", "-f", "-").ok();
        return uid;
    }

    @ForEachKubectl
    void deletingByLabelDeletesOnlyTheMatchingObjects(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("delete-label-" + version);
        kubectl.runWithInput(Manifests.configMap(ns, "temp-1", Map.of("temp", "yes"), Map.of()), "create", "-f", "-")
                .ok();
        kubectl.runWithInput(Manifests.configMap(ns, "temp-2", Map.of("temp", "yes"), Map.of()), "create", "-f", "-")
                .ok();
        kubectl.runWithInput(Manifests.configMap(ns, "keep", Map.of(), Map.of()), "create", "-f", "-").ok();

        Kubectl.Result deleted = kubectl.run("delete", "configmaps", "-n", ns, "-l", "temp=yes").ok();

        assertThat(deleted.lines()).containsExactlyInAnyOrder("configmap \"temp-1\" deleted",
                "configmap \"temp-2\" deleted");
        assertThat(NamespaceDefaults.own(kubectl.run("get", "configmaps", "-n", ns, "-o", "name").ok().lines()))
                .containsExactly("configmap/keep");
    }

    /**
     * The object is held by a finalizer, so {@code wait} must still be waiting when the finalizer goes; it is
     * started with {@code -v=6} to see its watch open before the test lets the deletion finish.
     */
    @ForEachKubectl
    void waitForDeleteReturnsOnceTheObjectIsGone(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("wait-delete-" + version);
        kubectl.runWithInput(Manifests.configMap(ns, "held", Map.of(), Map.of()), "create", "-f", "-").ok();
        kubectl.run("patch", "configmap", "held", "-n", ns, "--type=merge", "-p",
                "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}").ok();
        kubectl.run("delete", "configmap", "held", "-n", ns, "--wait=false").ok();

        Kubectl.Result timedOut = kubectl.run("wait", "--for=delete", "configmap/held", "-n", ns, "--timeout=1s")
                .failed();
        Kubectl.Result waited;
        try (Kubectl.Running wait = kubectl.start("wait", "--for=delete", "configmap/held", "-n", ns,
                "--timeout=" + WAIT.toSeconds() + "s", "-v=6")) {
            wait.awaitErrorLine(line -> line.contains("watch=true") && line.contains("200 OK"), WAIT);
            kubectl.run("patch", "configmap", "held", "-n", ns, "--type=merge", "-p",
                    "{\"metadata\":{\"finalizers\":null}}").ok();
            waited = wait.awaitExit(WAIT);
        }

        assertThat(timedOut.err()).contains("timed out waiting for the condition on configmaps/held");
        assertThat(waited.exitCode()).as(waited.toString()).isZero();
        assertThat(waited.out()).isEqualTo("configmap/held condition met\n");
        cluster.api().get("/api/v1/namespaces/" + ns + "/configmaps/held").expect(404);
    }

    private static JsonNode get(Kubectl kubectl, String ns, String name) {
        try {
            return JSON.readTree(kubectl.run("get", "configmap", name, "-n", ns, "-o", "json").ok().out());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
