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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Declarative writes: {@code kubectl create -f}, client-side {@code apply}, and {@code apply --server-side}. */
@ExtendWith(SharedCluster.class)
class KubectlApplyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private final KumoCluster cluster;

    KubectlApplyTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void createFromAFileThenAgainIsAlreadyExists(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("create-f-" + version);
        Path manifest = cluster.writeFile(ns + ".yaml", Manifests.configMap(ns, "settings", Map.of(),
                Map.of("mode", "fast")));

        Kubectl.Result created = kubectl.run("create", "-f", manifest.toString()).ok();
        Kubectl.Result again = kubectl.run("create", "-f", manifest.toString()).failed();

        assertThat(created.out()).isEqualTo("configmap/settings created\n");
        assertThat(again.err()).contains("Error from server (AlreadyExists): error when creating \""
                + manifest + "\": configmaps \"settings\" already exists");
        assertThat(configMap(kubectl, ns, "settings").path("data").path("mode").asText()).isEqualTo("fast");
    }

    @ForEachKubectl
    void applyCreatesThenFindsNothingToChange(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("apply-" + version);
        String manifest = Manifests.configMap(ns, "settings", Map.of("app", "web"), Map.of("mode", "fast"));

        Kubectl.Result created = kubectl.runWithInput(manifest, "apply", "-f", "-").ok();
        JsonNode afterCreate = configMap(kubectl, ns, "settings");
        Kubectl.Result unchanged = kubectl.runWithInput(manifest, "apply", "-f", "-").ok();

        assertThat(created.out()).isEqualTo("configmap/settings created\n");
        assertThat(unchanged.out()).isEqualTo("configmap/settings unchanged\n");
        JsonNode lastApplied = JSON.readTree(afterCreate.path("metadata").path("annotations").path(LAST_APPLIED)
                .asText());
        assertThat(lastApplied.path("data")).isEqualTo(JSON.createObjectNode().put("mode", "fast"));
        assertThat(lastApplied.path("metadata").path("labels").path("app").asText()).isEqualTo("web");
        assertThat(configMap(kubectl, ns, "settings").path("metadata").path("resourceVersion"))
                .isEqualTo(afterCreate.path("metadata").path("resourceVersion"));
    }

    /** A changed manifest is sent as a strategic merge patch; a key gone from the manifest goes from the object. */
    @Tag("patch")
    @ForEachKubectl
    void applyConfiguresAChangedManifest(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("apply-change-" + version);
        kubectl.runWithInput(Manifests.configMap(ns, "settings", Map.of(), Map.of("mode", "fast", "old", "1")),
                "apply", "-f", "-").ok();

        Kubectl.Result configured = kubectl.runWithInput(Manifests.configMap(ns, "settings", Map.of(),
                Map.of("mode", "slow", "new", "2")), "apply", "-f", "-").ok();

        assertThat(configured.out()).isEqualTo("configmap/settings configured\n");
        assertThat(configMap(kubectl, ns, "settings").path("data"))
                .isEqualTo(JSON.createObjectNode().put("mode", "slow").put("new", "2"));
    }

    @Tag("server-side-apply")
    @ForEachKubectl
    void serverSideApplyRecordsTheManager(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("ssa-" + version);

        Kubectl.Result applied = kubectl.runWithInput(Manifests.configMap(ns, "settings", Map.of(),
                Map.of("mode", "fast")), "apply", "--server-side", "-f", "-").ok();

        assertThat(applied.out()).isEqualTo("configmap/settings serverside-applied\n");
        JsonNode object = configMap(kubectl, ns, "settings");
        assertThat(object.path("data").path("mode").asText()).isEqualTo("fast");
        assertThat(object.path("metadata").path("annotations").has(LAST_APPLIED)).isFalse();
        assertThat(managersOf(object, "mode")).containsExactly("kubectl/Apply");
    }

    @Tag("server-side-apply")
    @ForEachKubectl
    void serverSideApplyOfAnotherManagerConflictsUntilForced(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("ssa-conflict-" + version);
        kubectl.runWithInput(Manifests.configMap(ns, "settings", Map.of(), Map.of("mode", "fast")),
                "apply", "--server-side", "-f", "-").ok();
        String theirs = Manifests.configMap(ns, "settings", Map.of(), Map.of("mode", "slow"));

        Kubectl.Result conflict = kubectl.runWithInput(theirs, "apply", "--server-side", "--field-manager=other",
                "-f", "-").failed();
        JsonNode untouched = configMap(kubectl, ns, "settings");
        Kubectl.Result forced = kubectl.runWithInput(theirs, "apply", "--server-side", "--field-manager=other",
                "--force-conflicts", "-f", "-").ok();

        assertThat(conflict.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl\"")
                .contains(".data.mode");
        assertThat(untouched.path("data").path("mode").asText()).isEqualTo("fast");
        assertThat(forced.out()).isEqualTo("configmap/settings serverside-applied\n");
        JsonNode taken = configMap(kubectl, ns, "settings");
        assertThat(taken.path("data").path("mode").asText()).isEqualTo("slow");
        assertThat(managersOf(taken, "mode")).containsExactly("other/Apply");
    }

    private static JsonNode configMap(Kubectl kubectl, String ns, String name) throws Exception {
        return JSON.readTree(kubectl.run("get", "configmap", name, "-n", ns, "-o", "json", "--show-managed-fields")
                .ok().out());
    }

    /** "manager/operation" of each managedFields entry that owns {@code data.<key>}. */
    private static List<String> managersOf(JsonNode object, String key) {
        List<String> managers = new ArrayList<>();
        for (JsonNode entry : object.path("metadata").path("managedFields")) {
            if (entry.path("fieldsV1").path("f:data").has("f:" + key)) {
                managers.add(entry.path("manager").asText() + "/" + entry.path("operation").asText());
            }
        }
        return managers;
    }
}
