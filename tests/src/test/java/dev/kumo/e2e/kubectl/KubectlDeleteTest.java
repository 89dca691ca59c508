package dev.kumo.e2e.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Manifests;
import dev.kumo.e2e.support.NamespaceDefaults;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl delete} with each cascade mode, and {@code kubectl wait --for=delete}. kumo runs no garbage
 * collector yet, so foreground and orphan deletions stop where Kubernetes' API server leaves them: the object
 * stays, marked with a deletionTimestamp and the finalizer the collector would act on, until someone removes it.
 */
@ExtendWith(SharedCluster.class)
class KubectlDeleteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final KumoCluster cluster;

    KubectlDeleteTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void backgroundDeletionRemovesTheObjectAtOnce(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("delete-bg-" + version);
        kubectl.runWithInput(Manifests.deployment(ns, "web", 1), "create", "-f", "-").ok();

        Kubectl.Result deleted = kubectl.run("delete", "deployment", "web", "-n", ns, "--cascade=background").ok();

        assertThat(deleted.out()).isEqualTo("deployment.apps \"web\" deleted\n");
        assertThat(kubectl.run("get", "deployment", "web", "-n", ns).failed().err())
                .contains("deployments.apps \"web\" not found");
        cluster.api().get("/apis/apps/v1/namespaces/" + ns + "/deployments/web").expect(404);
    }

    @ForEachKubectl
    void foregroundDeletionLeavesTheObjectForTheCollector(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("delete-fg-" + version);
        kubectl.runWithInput(Manifests.deployment(ns, "web", 1), "create", "-f", "-").ok();

        Kubectl.Result deleted = kubectl.run("delete", "deployment", "web", "-n", ns, "--cascade=foreground",
                "--wait=false").ok();

        assertThat(deleted.out()).isEqualTo("deployment.apps \"web\" deleted\n");
        JsonNode metadata = get(kubectl, ns, "deployment", "web").path("metadata");
        assertThat(metadata.path("deletionTimestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(metadata.path("deletionGracePeriodSeconds").asInt()).isZero();
        assertThat(metadata.path("finalizers")).containsExactly(JSON.getNodeFactory().textNode("foregroundDeletion"));
        assertThat(kubectl.run("get", "deployments", "-n", ns, "-o", "name").ok().out())
                .isEqualTo("deployment.apps/web\n");

        // What the garbage collector does once the dependents are gone: remove its finalizer.
        kubectl.run("patch", "deployment", "web", "-n", ns, "--type=merge", "-p",
                "{\"metadata\":{\"finalizers\":null}}").ok();

        assertThat(kubectl.run("get", "deployment", "web", "-n", ns).failed().err()).contains("not found");
    }

    @ForEachKubectl
    void orphanDeletionLeavesTheObjectForTheCollector(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("delete-orphan-" + version);
        kubectl.runWithInput(Manifests.deployment(ns, "web", 1), "create", "-f", "-").ok();

        Kubectl.Result deleted = kubectl.run("delete", "deployment", "web", "-n", ns, "--cascade=orphan",
                "--wait=false").ok();

        assertThat(deleted.out()).isEqualTo("deployment.apps \"web\" deleted\n");
        JsonNode metadata = get(kubectl, ns, "deployment", "web").path("metadata");
        assertThat(metadata.has("deletionTimestamp")).isTrue();
        assertThat(metadata.path("finalizers")).containsExactly(JSON.getNodeFactory().textNode("orphan"));
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

    private static JsonNode get(Kubectl kubectl, String ns, String kind, String name) throws Exception {
        return JSON.readTree(kubectl.run("get", kind, name, "-n", ns, "-o", "json").ok().out());
    }
}
