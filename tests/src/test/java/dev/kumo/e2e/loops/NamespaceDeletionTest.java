package dev.kumo.e2e.loops;

import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Manifests;
import dev.kumo.e2e.support.PodView;
import dev.kumo.e2e.support.SharedNodeCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The namespace loop empties a namespace being deleted (its Deployment, ReplicaSet, running pods, Service,
 * ConfigMap) and then lets it go; {@code kubectl delete namespace} waits for that and returns.
 */
@ExtendWith(SharedNodeCluster.class)
class NamespaceDeletionTest {
    private static final Duration LOOPS = Duration.ofSeconds(120);

    private final KumoCluster cluster;

    NamespaceDeletionTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void deletingANamespaceRemovesItsContentsThenItself() {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("doomed");
        kubectl.runWithInput(Workload.service(ns, "web") + "---\n"
                + Workload.deployment(ns, "web", 3, "nginx:1.27", "", "") + "---\n"
                + Manifests.configMap(ns, "settings", Map.of(), Map.of("mode", "test")), "apply", "-f", "-").ok();
        PodView.awaitServing(cluster.api(), ns, "app=web", 3, LOOPS);

        // A watch sees every phase the namespace goes through, however short the Terminating one is.
        try (Kubectl.Running phases = kubectl.start("get", "namespace", ns, "--watch", "-o",
                "jsonpath={.status.phase}{\"\\n\"}")) {
            phases.awaitLine("Active"::equals, LOOPS);
            try (Kubectl.Running delete = kubectl.start("delete", "namespace", ns, "--timeout=110s")) {
                phases.awaitLine("Terminating"::equals, LOOPS);
                Kubectl.Result deleted = delete.awaitExit(Duration.ofSeconds(130));
                assertThat(deleted.exitCode()).as("%s", deleted).isZero();
                assertThat(deleted.out()).isEqualTo("namespace \"" + ns + "\" deleted\n");
            }
        }
        Kubectl.Result get = kubectl.run("get", "namespace", ns);
        assertThat(get.exitCode()).isNotZero();
        assertThat(get.err()).contains("Error from server (NotFound): namespaces \"" + ns + "\" not found");
        for (String path : new String[] {"/api/v1/namespaces/" + ns + "/pods", "/api/v1/namespaces/" + ns
                + "/services", "/api/v1/namespaces/" + ns + "/configmaps", "/apis/apps/v1/namespaces/" + ns
                + "/deployments", "/apis/apps/v1/namespaces/" + ns + "/replicasets"}) {
            assertThat(cluster.api().get(path).expect(200).json().path("items")).as(path).isEmpty();
        }
    }
}
