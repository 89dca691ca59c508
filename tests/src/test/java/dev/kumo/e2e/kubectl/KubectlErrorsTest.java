package dev.kumo.e2e.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Manifests;
import dev.kumo.e2e.support.RandomData;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input through kubectl: what the user sees for each refusal (kubectl's rendering of the server's Status),
 * its exit code, and that nothing was written.
 */
@ExtendWith(SharedCluster.class)
class KubectlErrorsTest {
    private static final int MIB = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KumoCluster cluster;

    KubectlErrorsTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void malformedYamlIsRefusedBeforeAnythingIsSent(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("kubectl-bad-yaml-" + version);

        Kubectl.Result result = kubectl.runWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n",
                "create", "-n", ns, "-f", "-").failed();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("error").contains("yaml");
        assertNoConfigMaps(kubectl, ns);
    }

    @ForEachKubectl
    void anUnknownResourceTypeIsNamed(String version) {
        Kubectl kubectl = cluster.kubectl(version);

        Kubectl.Result result = kubectl.run("get", "widgets").failed();

        assertThat(result.err()).contains("the server doesn't have a resource type \"widgets\"");
    }

    @ForEachKubectl
    void anInvalidNameIsExplained(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("kubectl-bad-name-" + version);

        Kubectl.Result result = kubectl.runWithInput(Manifests.configMap(ns, "Bad_Name", Map.of(), Map.of()),
                "create", "-f", "-").failed();

        assertThat(result.err()).contains("The ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: "
                + "\"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters");
        assertNoConfigMaps(kubectl, ns);
    }

    /** kubectl checks required fields itself; told not to, it sends the object and prints the server's causes. */
    @ForEachKubectl
    void missingRequiredFieldsAreNamedByTheServer(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("kubectl-missing-" + version);
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %s}
                spec:
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web}]}
                """.formatted(ns);

        Kubectl.Result result = kubectl.runWithInput(deployment, "create", "--validate=false", "-f", "-").failed();

        assertThat(result.err()).contains("The Deployment \"web\" is invalid:")
                .contains("spec.selector: Required value")
                .contains("spec.template.spec.containers[0].image: Required value");
        assertThat(kubectl.run("get", "deployments", "-n", ns, "-o", "name").ok().out()).isEmpty();
    }

    @ForEachKubectl
    void replacingFromAStaleResourceVersionConflicts(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("kubectl-stale-" + version);
        kubectl.runWithInput(Manifests.configMap(ns, "settings", Map.of(), Map.of("mode", "fast")),
                "create", "-f", "-").ok();
        ObjectNode read = (ObjectNode) JSON.readTree(kubectl.run("get", "cm", "settings", "-n", ns, "-o", "json")
                .ok().out());
        kubectl.run("patch", "cm", "settings", "-n", ns, "--type=merge", "-p", "{\"data\":{\"mode\":\"slow\"}}")
                .ok();
        ((ObjectNode) read.path("data")).put("mode", "lost");

        Kubectl.Result result = kubectl.runWithInput(read.toString(), "replace", "-f", "-").failed();

        assertThat(result.err()).contains("Error from server (Conflict): error when replacing \"STDIN\": "
                + "Operation cannot be fulfilled on configmaps \"settings\": the object has been modified; please "
                + "apply your changes to the latest version and try again");
        assertThat(kubectl.run("get", "cm", "settings", "-n", ns, "-o", "jsonpath={.data.mode}").ok().out().strip())
                .isEqualTo("slow");
    }

    @ForEachKubectl
    void aConfigMapOverTheLimitIsRefused(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("kubectl-too-big-" + version);
        Path manifest = cluster.writeFile(ns + ".yaml", Manifests.configMap(ns, "big", Map.of(),
                Map.of("blob", RandomData.text(MIB + 1))));

        Kubectl.Result result = kubectl.run("create", "-f", manifest.toString()).failed();

        assertThat(result.err()).contains("The ConfigMap \"big\" is invalid: []: Too long: must have at most "
                + "1048576 bytes");
        assertNoConfigMaps(kubectl, ns);
    }

    @ForEachKubectl
    void aRequestOverTheBodyLimitIsRefused(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("kubectl-huge-" + version);
        Path manifest = cluster.writeFile(ns + ".yaml", Manifests.configMap(ns, "huge", Map.of(),
                Map.of("blob", RandomData.text(3 * MIB + 1))));

        Kubectl.Result result = kubectl.run("create", "-f", manifest.toString()).failed();

        assertThat(result.err()).contains("Error from server (RequestEntityTooLarge)").contains("3145728");
        assertNoConfigMaps(kubectl, ns);
    }

    @ForEachKubectl
    void creatingInANamespaceThatDoesNotExistIsNotFound(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = "kubectl-nowhere-" + version.replace(".", "-");

        Kubectl.Result result = kubectl.runWithInput(Manifests.configMap(ns, "settings", Map.of(), Map.of()),
                "create", "-f", "-").failed();

        assertThat(result.err()).contains("Error from server (NotFound): error when creating \"STDIN\": "
                + "namespaces \"" + ns + "\" not found");
        assertThat(kubectl.run("get", "namespace", ns).failed().err()).contains("namespaces \"" + ns + "\" not found");
    }

    private static void assertNoConfigMaps(Kubectl kubectl, String ns) {
        Kubectl.Result list = kubectl.run("get", "configmaps", "-n", ns, "-o", "json").ok();
        try {
            JsonNode items = JSON.readTree(list.out()).path("items");
            // Every namespace holds the cluster's CA bundle, as in Kubernetes.
            assertThat(items.findValuesAsText("name")).as("configmaps left in %s", ns)
                    .containsExactly("kube-root-ca.crt");
        } catch (java.io.IOException e) {
            throw new AssertionError(list.toString(), e);
        }
    }
}
