package dev.kumo.e2e.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.e2e.support.ApiClient;
import dev.kumo.e2e.support.KubeconfigFile;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;

import static dev.kumo.apimachinery.client.ResourceType.CONFIG_MAPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * kumo's own API client (what the control loops will use) against the local cluster: the REST verbs, paginated
 * lists, refusals as the API's Status, and a component's own least-privilege credential.
 */
@ExtendWith(SharedCluster.class)
class KubeClientTest {
    private final KumoCluster cluster;

    KubeClientTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void theRestVerbsWorkAndRefusalsCarryTheStatus() {
        KubeClient client = client(cluster.kubeconfig()).withPageSize(2);
        String ns = cluster.newNamespace("kube-client");
        for (String name : List.of("a", "b", "c", "d", "e")) {
            client.create(CONFIG_MAPS, ns, configMap(client, ns, name, name.equals("e") ? "other" : "demo"));
        }

        assertThat(client.list(CONFIG_MAPS, ns, "app=demo", "")).hasSize(4); // two pages and a last one
        assertThat(client.list(CONFIG_MAPS, ns, "", "metadata.name=e")).hasSize(1);
        ObjectNode a = client.get(CONFIG_MAPS, ns, "a").orElseThrow();
        assertThat(client.get(CONFIG_MAPS, ns, "missing")).isEmpty();

        ObjectNode changed = a.deepCopy();
        ((ObjectNode) changed.path("data")).put("key", "changed");
        ObjectNode updated = client.update(CONFIG_MAPS, changed);
        assertThat(updated.at("/data/key").asText()).isEqualTo("changed");
        assertThatThrownBy(() -> client.update(CONFIG_MAPS, a)) // a's resourceVersion is stale now
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.isConflict()).isTrue());
        assertThatThrownBy(() -> client.create(CONFIG_MAPS, ns, configMap(client, ns, "b", "demo")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.reason()).isEqualTo("AlreadyExists"));

        ObjectNode patch = client.mapper().createObjectNode();
        patch.putObject("metadata").putObject("labels").put("patched", "yes");
        assertThat(client.mergePatch(CONFIG_MAPS, ns, "b", "", patch).at("/metadata/labels/patched").asText())
                .isEqualTo("yes");

        assertThat(client.delete(CONFIG_MAPS, ns, "c", "Background", null)).isTrue();
        assertThat(client.delete(CONFIG_MAPS, ns, "c", null, null)).isFalse();
        assertThatThrownBy(() -> client.delete(CONFIG_MAPS, ns, "d", null, "not-its-uid"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(409));
    }

    @Test
    void aComponentWorksUnderItsOwnIdentityAndNoMore() throws Exception {
        Path home = cluster.workDirectory();
        KubeClient scheduler = client(KubeconfigFile.read(home.resolve("components/kube-scheduler.kubeconfig")));
        String ns = cluster.newNamespace("kube-client-scheduler");

        assertThat(scheduler.list(ResourceType.PODS, ns, "", "")).isEmpty();
        assertThatThrownBy(() -> scheduler.list(ResourceType.SECRETS, ns, "", ""))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("User \"system:kube-scheduler\" cannot list resource "
                            + "\"secrets\"");
                });
        KubeClient anonymous = new KubeClient(cluster.kubeconfig().server(),
                ApiClient.trusting(cluster.kubeconfig().caCertificatePem()), () -> "wrong", "kumo-test");
        assertThatThrownBy(() -> anonymous.get(ResourceType.PODS, ns, "x"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(401));
    }

    private static KubeClient client(KubeconfigFile kubeconfig) {
        return new KubeClient(kubeconfig.server(), ApiClient.trusting(kubeconfig.caCertificatePem()),
                kubeconfig::token, "kumo-test");
    }

    private static ObjectNode configMap(KubeClient client, String ns, String name, String app) {
        ObjectNode object = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        object.putObject("metadata").put("name", name).put("namespace", ns).putObject("labels").put("app", app);
        object.putObject("data").put("key", name);
        return object;
    }
}
