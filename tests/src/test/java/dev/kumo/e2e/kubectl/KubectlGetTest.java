package dev.kumo.e2e.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Manifests;
import dev.kumo.e2e.support.NamespaceDefaults;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.PrintedTable;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kubectl get}: the server's tables as kubectl prints them, the other output formats, and selectors. */
@ExtendWith(SharedCluster.class)
class KubectlGetTest {
    private static final String AGE = "\\d+s";

    private final KumoCluster cluster;

    KubectlGetTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void podsHaveTheKubernetesColumns(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-pods-" + version);
        kubectl.runWithInput(Manifests.pod(ns, "web-0", Map.of("app", "web")), "create", "-f", "-").ok();

        PrintedTable table = PrintedTable.parse(kubectl.run("get", "pods", "-n", ns).ok().out());

        assertThat(table.headers()).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
        assertThat(table.rows()).hasSize(1);
        assertThat(table.row("web-0")).containsEntry("READY", "0/1").containsEntry("STATUS", "Pending")
                .containsEntry("RESTARTS", "0");
        assertThat(table.row("web-0").get("AGE")).matches(AGE);
    }

    @ForEachKubectl
    void podsWideAddsNodeColumnsAfterAge(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-pods-wide-" + version);
        kubectl.runWithInput(Manifests.pod(ns, "web-0", Map.of()), "create", "-f", "-").ok();

        PrintedTable table = PrintedTable.parse(kubectl.run("get", "pods", "-n", ns, "-o", "wide").ok().out());

        assertThat(table.headers()).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                "NOMINATED NODE", "READINESS GATES");
        assertThat(table.row("web-0")).containsEntry("IP", "<none>").containsEntry("NODE", "<none>")
                .containsEntry("NOMINATED NODE", "<none>").containsEntry("READINESS GATES", "<none>");
    }

    @ForEachKubectl
    void deploymentsHaveTheKubernetesColumns(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-deploy-" + version);
        kubectl.runWithInput(Manifests.deployment(ns, "web", 2), "create", "-f", "-").ok();

        // Once the deployment controller has sized its replica set (no nodes here, so nothing becomes ready).
        PrintedTable table = Poll.until(Duration.ofSeconds(60), "the deployment's replicas up to date",
                () -> PrintedTable.parse(kubectl.run("get", "deployments", "-n", ns).ok().out()),
                printed -> "2".equals(printed.row("web").get("UP-TO-DATE")));
        PrintedTable wide = PrintedTable.parse(kubectl.run("get", "deploy", "-n", ns, "-o", "wide").ok().out());

        assertThat(table.headers()).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
        assertThat(table.row("web")).containsEntry("READY", "0/2").containsEntry("UP-TO-DATE", "2")
                .containsEntry("AVAILABLE", "0");
        assertThat(wide.headers()).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS",
                "IMAGES", "SELECTOR");
        assertThat(wide.row("web")).containsEntry("CONTAINERS", "web").containsEntry("IMAGES", "nginx:1.27")
                .containsEntry("SELECTOR", "app=web");
    }

    @ForEachKubectl
    void configMapsCountTheirData(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-cm-" + version);
        kubectl.runWithInput(Manifests.configMap(ns, "settings", Map.of(), Map.of("a", "1", "b", "2")),
                "create", "-f", "-").ok();

        PrintedTable table = PrintedTable.parse(kubectl.run("get", "configmaps", "-n", ns).ok().out());

        assertThat(table.headers()).containsExactly("NAME", "DATA", "AGE");
        assertThat(table.row("settings")).containsEntry("DATA", "2");
        assertThat(table.row("settings").get("AGE")).matches(AGE);
    }

    @ForEachKubectl
    void namespacesShowTheirPhase(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-ns-" + version);

        PrintedTable table = PrintedTable.parse(kubectl.run("get", "namespaces").ok().out());

        assertThat(table.headers()).containsExactly("NAME", "STATUS", "AGE");
        assertThat(table.row(ns)).containsEntry("STATUS", "Active");
        assertThat(table.column("NAME")).contains("default", "kube-system", "kube-public", "kube-node-lease");
    }

    @ForEachKubectl
    void yamlOutputIsTheStoredObject(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-yaml-" + version);
        kubectl.runWithInput(Manifests.configMap(ns, "settings", Map.of("app", "web"), Map.of("mode", "fast")),
                "create", "-f", "-").ok();

        JsonNode object = new YAMLMapper().readTree(kubectl.run("get", "cm", "settings", "-n", ns, "-o", "yaml")
                .ok().out());

        assertThat(object.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(object.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(object.path("data")).isEqualTo(new ObjectMapper().createObjectNode().put("mode", "fast"));
        JsonNode metadata = object.path("metadata");
        assertThat(metadata.path("name").asText()).isEqualTo("settings");
        assertThat(metadata.path("namespace").asText()).isEqualTo(ns);
        assertThat(metadata.path("labels").path("app").asText()).isEqualTo("web");
        assertThat(metadata.path("uid").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(metadata.path("resourceVersion").asText()).matches("\\d+");
        assertThat(metadata.path("creationTimestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @ForEachKubectl
    void jsonOutputOfAListIsAKubernetesList(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-json-" + version);
        for (String name : new String[]{"one", "two"}) {
            kubectl.runWithInput(Manifests.configMap(ns, name, Map.of(), Map.of("name", name)), "create", "-f", "-")
                    .ok();
        }

        JsonNode list = new ObjectMapper().readTree(kubectl.run("get", "cm", "-n", ns, "-o", "json").ok().out());

        assertThat(list.path("kind").asText()).isEqualTo("List");
        assertThat(NamespaceDefaults.own(list.path("items"))).hasSize(2)
                .extracting(item -> item.path("metadata").path("name").asText()).containsExactlyInAnyOrder("one", "two");
        for (JsonNode item : list.path("items")) {
            assertThat(item.path("kind").asText()).isEqualTo("ConfigMap");
            assertThat(item.path("metadata").path("namespace").asText()).isEqualTo(ns);
        }
    }

    @ForEachKubectl
    void allNamespacesAddsTheNamespaceColumn(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String first = cluster.newNamespace("get-all-a-" + version);
        String second = cluster.newNamespace("get-all-b-" + version);
        String name = "everywhere-" + version.replace(".", "");
        for (String ns : new String[]{first, second}) {
            kubectl.runWithInput(Manifests.configMap(ns, name, Map.of(), Map.of()), "create", "-f", "-").ok();
        }

        PrintedTable table = PrintedTable.parse(kubectl.run("get", "cm", "-A", "--field-selector",
                "metadata.name=" + name).ok().out());

        assertThat(table.headers()).containsExactly("NAMESPACE", "NAME", "DATA", "AGE");
        assertThat(table.column("NAMESPACE")).containsExactlyInAnyOrder(first, second);
        assertThat(table.column("NAME")).containsExactly(name, name);
    }

    @ForEachKubectl
    void labelSelectorKeepsOnlyMatchingObjects(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-label-" + version);
        kubectl.runWithInput(Manifests.configMap(ns, "front", Map.of("tier", "web"), Map.of()), "create", "-f", "-")
                .ok();
        kubectl.runWithInput(Manifests.configMap(ns, "back", Map.of("tier", "db"), Map.of()), "create", "-f", "-")
                .ok();
        kubectl.runWithInput(Manifests.configMap(ns, "plain", Map.of(), Map.of()), "create", "-f", "-").ok();

        assertThat(PrintedTable.parse(kubectl.run("get", "cm", "-n", ns, "-l", "tier=web").ok().out())
                .column("NAME")).containsExactly("front");
        assertThat(PrintedTable.parse(kubectl.run("get", "cm", "-n", ns, "-l", "tier").ok().out())
                .column("NAME")).containsExactlyInAnyOrder("front", "back");
        assertThat(NamespaceDefaults.own(PrintedTable.parse(kubectl.run("get", "cm", "-n", ns, "-l",
                "tier notin (web)").ok().out()).column("NAME"))).containsExactlyInAnyOrder("back", "plain");
    }

    @ForEachKubectl
    void fieldSelectorOnTheName(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-field-" + version);
        for (String name : new String[]{"x", "y"}) {
            kubectl.runWithInput(Manifests.configMap(ns, name, Map.of(), Map.of()), "create", "-f", "-").ok();
        }

        assertThat(PrintedTable.parse(kubectl.run("get", "cm", "-n", ns, "--field-selector", "metadata.name=x")
                .ok().out()).column("NAME")).containsExactly("x");
        assertThat(NamespaceDefaults.own(PrintedTable.parse(kubectl.run("get", "cm", "-n", ns, "--field-selector",
                "metadata.name!=x").ok().out()).column("NAME"))).containsExactly("y");
    }

    @ForEachKubectl
    void fieldSelectorOnThePodPhase(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-phase-" + version);
        kubectl.runWithInput(Manifests.pod(ns, "waiting", Map.of()), "create", "-f", "-").ok();
        kubectl.runWithInput(Manifests.pod(ns, "running", Map.of()), "create", "-f", "-").ok();
        kubectl.run("patch", "pod", "running", "-n", ns, "--subresource=status", "--type=merge",
                "-p", "{\"status\":{\"phase\":\"Running\"}}").ok();

        PrintedTable pending = PrintedTable.parse(kubectl.run("get", "pods", "-n", ns,
                "--field-selector", "status.phase=Pending").ok().out());
        PrintedTable running = PrintedTable.parse(kubectl.run("get", "pods", "-n", ns,
                "--field-selector", "status.phase=Running").ok().out());
        Kubectl.Result succeeded = kubectl.run("get", "pods", "-n", ns, "--field-selector", "status.phase=Succeeded")
                .ok();

        assertThat(pending.column("NAME")).containsExactly("waiting");
        assertThat(running.column("NAME")).containsExactly("running");
        assertThat(running.row("running")).containsEntry("STATUS", "Running");
        assertThat(succeeded.out()).isEmpty();
        assertThat(succeeded.err()).contains("No resources found in " + ns + " namespace.");
    }

    @ForEachKubectl
    void anUnsupportedFieldSelectorIsRefused(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-badfield-" + version);

        Kubectl.Result result = kubectl.run("get", "pods", "-n", ns, "--field-selector", "spec.color=blue").failed();

        assertThat(result.err()).contains("Error from server (BadRequest)").contains("spec.color")
                .contains("field label not supported");
    }

    @ForEachKubectl
    void aMissingObjectIsNotFound(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-missing-" + version);

        Kubectl.Result result = kubectl.run("get", "cm", "nothing-here", "-n", ns).failed();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Error from server (NotFound): configmaps \"nothing-here\" not found");
    }
}
