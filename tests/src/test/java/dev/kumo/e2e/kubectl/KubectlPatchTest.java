package dev.kumo.e2e.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Manifests;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Imperative changes: {@code patch} of each type, {@code label}, {@code annotate}, {@code scale}. */
@ExtendWith(SharedCluster.class)
class KubectlPatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KumoCluster cluster;

    KubectlPatchTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void mergePatchSetsAndRemovesKeys(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("patch-merge-" + version);
        createConfigMap(kubectl, ns, Map.of("mode", "fast", "old", "1"));

        Kubectl.Result patched = kubectl.run("patch", "configmap", "settings", "-n", ns, "--type", "merge",
                "-p", "{\"data\":{\"mode\":\"slow\",\"old\":null,\"new\":\"2\"}}").ok();
        Kubectl.Result again = kubectl.run("patch", "configmap", "settings", "-n", ns, "--type", "merge",
                "-p", "{\"data\":{\"mode\":\"slow\"}}").ok();

        assertThat(patched.out()).isEqualTo("configmap/settings patched\n");
        assertThat(again.out()).isEqualTo("configmap/settings patched (no change)\n");
        assertThat(get(kubectl, ns, "configmap", "settings").path("data"))
                .isEqualTo(JSON.createObjectNode().put("mode", "slow").put("new", "2"));
    }

    @Tag("patch")
    @ForEachKubectl
    void jsonPatchAppliesEachOperation(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("patch-json-" + version);
        createConfigMap(kubectl, ns, Map.of("mode", "fast", "old", "1"));

        Kubectl.Result patched = kubectl.run("patch", "configmap", "settings", "-n", ns, "--type", "json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/data/mode\",\"value\":\"slow\"},"
                        + "{\"op\":\"remove\",\"path\":\"/data/old\"},"
                        + "{\"op\":\"add\",\"path\":\"/data/new\",\"value\":\"2\"}]").ok();
        Kubectl.Result failedTest = kubectl.run("patch", "configmap", "settings", "-n", ns, "--type", "json", "-p",
                "[{\"op\":\"test\",\"path\":\"/data/mode\",\"value\":\"fast\"},"
                        + "{\"op\":\"replace\",\"path\":\"/data/mode\",\"value\":\"never\"}]").failed();

        assertThat(patched.out()).isEqualTo("configmap/settings patched\n");
        assertThat(failedTest.err()).contains("test failed", "/data/mode");
        assertThat(get(kubectl, ns, "configmap", "settings").path("data"))
                .isEqualTo(JSON.createObjectNode().put("mode", "slow").put("new", "2"));
    }

    /** kubectl's default patch type: lists of containers merge by name instead of being replaced. */
    @Tag("patch")
    @ForEachKubectl
    void strategicMergePatchMergesContainersByName(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("patch-strategic-" + version);
        kubectl.runWithInput(Manifests.deployment(ns, "web", 1), "create", "-f", "-").ok();

        Kubectl.Result patched = kubectl.run("patch", "deployment", "web", "-n", ns, "--type", "strategic", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox:1.36\"},"
                        + "{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}}}").ok();

        assertThat(patched.out()).isEqualTo("deployment.apps/web patched\n");
        JsonNode containers = get(kubectl, ns, "deployment", "web").path("spec").path("template").path("spec")
                .path("containers");
        assertThat(containers.findValuesAsText("name")).containsExactlyInAnyOrder("web", "sidecar");
        assertThat(containers.findValuesAsText("image")).containsExactlyInAnyOrder("nginx:1.28", "busybox:1.36");
    }

    @ForEachKubectl
    void labelAddsOverwritesAndRemoves(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("label-" + version);
        createConfigMap(kubectl, ns, Map.of());

        Kubectl.Result added = kubectl.run("label", "configmap", "settings", "-n", ns, "tier=web").ok();
        Kubectl.Result refused = kubectl.run("label", "configmap", "settings", "-n", ns, "tier=db").failed();
        JsonNode afterRefusal = get(kubectl, ns, "configmap", "settings");
        Kubectl.Result overwritten = kubectl.run("label", "configmap", "settings", "-n", ns, "tier=db",
                "--overwrite").ok();
        JsonNode afterOverwrite = get(kubectl, ns, "configmap", "settings");
        Kubectl.Result removed = kubectl.run("label", "configmap", "settings", "-n", ns, "tier-").ok();

        assertThat(added.out()).isEqualTo("configmap/settings labeled\n");
        assertThat(refused.err()).contains("'tier' already has a value (web), and --overwrite is false");
        assertThat(afterRefusal.path("metadata").path("labels").path("tier").asText()).isEqualTo("web");
        assertThat(overwritten.out()).isEqualTo("configmap/settings labeled\n");
        assertThat(afterOverwrite.path("metadata").path("labels").path("tier").asText()).isEqualTo("db");
        assertThat(removed.out()).isEqualTo("configmap/settings unlabeled\n");
        assertThat(get(kubectl, ns, "configmap", "settings").path("metadata").path("labels").has("tier")).isFalse();
    }

    @ForEachKubectl
    void annotateAddsOverwritesAndRemoves(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("annotate-" + version);
        createConfigMap(kubectl, ns, Map.of());

        Kubectl.Result added = kubectl.run("annotate", "configmap", "settings", "-n", ns, "owner=team-a").ok();
        Kubectl.Result refused = kubectl.run("annotate", "configmap", "settings", "-n", ns, "owner=team-b").failed();
        Kubectl.Result overwritten = kubectl.run("annotate", "configmap", "settings", "-n", ns, "owner=team-b",
                "--overwrite").ok();
        JsonNode afterOverwrite = get(kubectl, ns, "configmap", "settings");
        Kubectl.Result removed = kubectl.run("annotate", "configmap", "settings", "-n", ns, "owner-").ok();

        assertThat(added.out()).isEqualTo("configmap/settings annotated\n");
        assertThat(refused.err()).contains("--overwrite is false").contains("'owner' already has a value (team-a)");
        assertThat(overwritten.out()).isEqualTo("configmap/settings annotated\n");
        assertThat(afterOverwrite.path("metadata").path("annotations").path("owner").asText()).isEqualTo("team-b");
        assertThat(removed.out()).isEqualTo("configmap/settings annotated\n");
        assertThat(get(kubectl, ns, "configmap", "settings").path("metadata").path("annotations").has("owner"))
                .isFalse();
    }

    @ForEachKubectl
    void scaleChangesReplicasAndChecksThePrecondition(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("scale-" + version);
        kubectl.runWithInput(Manifests.deployment(ns, "web", 2), "create", "-f", "-").ok();

        Kubectl.Result scaled = kubectl.run("scale", "deployment", "web", "-n", ns, "--replicas=5").ok();
        Kubectl.Result stale = kubectl.run("scale", "deployment", "web", "-n", ns, "--current-replicas=2",
                "--replicas=3").failed();

        assertThat(scaled.out()).isEqualTo("deployment.apps/web scaled\n");
        assertThat(stale.err()).contains("Expected replicas to be 2, was 5");
        JsonNode deployment = get(kubectl, ns, "deployment", "web");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(5);
        assertThat(deployment.path("metadata").path("generation").asInt()).isEqualTo(2);
    }

    @ForEachKubectl
    void statusSubresourcePatchLeavesTheSpecAlone(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("patch-status-" + version);
        kubectl.runWithInput(Manifests.deployment(ns, "web", 2), "create", "-f", "-").ok();

        // The answer of the patch itself: the deployment controller owns this status and rewrites it at once.
        Kubectl.Result patched = kubectl.run("patch", "deployment", "web", "-n", ns, "--subresource=status",
                "--type=merge", "-p", "{\"spec\":{\"replicas\":9},\"status\":{\"replicas\":2,\"readyReplicas\":1}}",
                "-o", "json").ok();

        JsonNode deployment = JSON.readTree(patched.out());
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(deployment.path("status").path("readyReplicas").asInt()).isEqualTo(1);
        assertThat(deployment.path("metadata").path("generation").asInt()).isEqualTo(1);
        assertThat(get(kubectl, ns, "deployment", "web").path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    private static void createConfigMap(Kubectl kubectl, String ns, Map<String, String> data) {
        kubectl.runWithInput(Manifests.configMap(ns, "settings", Map.of(), data), "create", "-f", "-").ok();
    }

    private static JsonNode get(Kubectl kubectl, String ns, String kind, String name) throws Exception {
        return JSON.readTree(kubectl.run("get", kind, name, "-n", ns, "-o", "json").ok().out());
    }
}
