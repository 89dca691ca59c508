package dev.kumo.e2e.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.PrintedTable;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What kubectl learns about the server: {@code version}, {@code api-resources} and {@code explain}. */
@ExtendWith(SharedCluster.class)
class KubectlDiscoveryTest {
    private final KumoCluster cluster;

    KubectlDiscoveryTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void versionNamesKubernetes132(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);

        JsonNode versions = new ObjectMapper().readTree(kubectl.run("version", "-o", "json").ok().out());

        assertThat(versions.path("clientVersion").path("gitVersion").asText()).startsWith("v" + version + ".");
        JsonNode server = versions.path("serverVersion");
        assertThat(server.path("major").asText()).isEqualTo("1");
        assertThat(server.path("minor").asText()).isEqualTo("32");
        assertThat(server.path("gitVersion").asText()).isEqualTo("v1.32.0-kumo");
        assertThat(server.path("platform").asText()).isEqualTo("linux/amd64");
    }

    @ForEachKubectl
    void apiResourcesListsTheServedKinds(String version) {
        Kubectl kubectl = cluster.kubectl(version);

        PrintedTable table = PrintedTable.parse(kubectl.run("api-resources").ok().out());

        assertThat(table.headers()).containsExactly("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND");
        assertThat(table.row("configmaps")).isEqualTo(Map.of("NAME", "configmaps", "SHORTNAMES", "cm",
                "APIVERSION", "v1", "NAMESPACED", "true", "KIND", "ConfigMap"));
        assertThat(table.row("namespaces")).isEqualTo(Map.of("NAME", "namespaces", "SHORTNAMES", "ns",
                "APIVERSION", "v1", "NAMESPACED", "false", "KIND", "Namespace"));
        assertThat(table.row("pods")).containsEntry("SHORTNAMES", "po").containsEntry("KIND", "Pod");
        assertThat(table.row("deployments")).isEqualTo(Map.of("NAME", "deployments", "SHORTNAMES", "deploy",
                "APIVERSION", "apps/v1", "NAMESPACED", "true", "KIND", "Deployment"));
        assertThat(table.row("leases")).containsEntry("APIVERSION", "coordination.k8s.io/v1");
    }

    @ForEachKubectl
    void apiResourcesFiltersByGroupAndScope(String version) {
        Kubectl kubectl = cluster.kubectl(version);

        assertThat(kubectl.run("api-resources", "--api-group=apps", "-o", "name").ok().lines())
                .containsExactlyInAnyOrder("deployments.apps", "replicasets.apps");
        assertThat(kubectl.run("api-resources", "--namespaced=false", "-o", "name").ok().lines())
                .contains("namespaces", "nodes").doesNotContain("pods", "configmaps");
    }

    @ForEachKubectl
    void explainPrintsTheFieldDocumentation(String version) {
        Kubectl kubectl = cluster.kubectl(version);

        String data = kubectl.run("explain", "configmap.data").ok().out();
        String replicas = kubectl.run("explain", "deployment.spec.replicas").ok().out();

        assertThat(data).contains("KIND:       ConfigMap").contains("VERSION:    v1")
                .contains("FIELD: data <map[string]string>")
                .contains("Data contains the configuration data.");
        assertThat(replicas).contains("KIND:       Deployment").contains("GROUP:      apps")
                .contains("FIELD: replicas <integer>")
                .contains("Number of desired pods.");
    }
}
