package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.replicaset.Pods;
import dev.kumo.controllers.replicaset.ReplicaSetController;
import dev.kumo.controllers.replicaset.Workloads;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code kubectl} against the real API with both loops: what {@code rollout status}, {@code history},
 * {@code undo}, {@code pause}/{@code resume}, {@code restart} and {@code scale} need from the controllers' writes.
 * The loops run by {@link #settle()} (every key of the namespace until nothing changes) and pods become ready as a
 * node agent would make them, since there are none here.
 */
@Tag("slow")
class KubectlRolloutTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();
    private static AuthenticatingProxy proxy;
    private static Path kubeconfig;
    private static String namespace;
    private static Reconciler deployments;
    private static Reconciler replicaSets;

    @BeforeAll
    static void start() throws IOException {
        proxy = new AuthenticatingProxy(CLUSTER.server(), CLUSTER.adminToken());
        kubeconfig = Files.createTempFile("kubectl-rollout", ".kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: test, cluster: {server: "%s"}}]
                users: [{name: admin, user: {}}]
                contexts: [{name: test, context: {cluster: test, user: admin}}]
                current-context: test
                """.formatted(proxy.address()));
        namespace = Workloads.namespace(ADMIN, "kubectl");
        deployments = DeploymentController.loop(
                CLUSTER.controllerContext(DeploymentController.COMPONENT, Clock.systemUTC())).reconciler();
        replicaSets = ReplicaSetController.loop(
                CLUSTER.controllerContext(ReplicaSetController.COMPONENT, Clock.systemUTC())).reconciler();
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        CLUSTER.close();
        Files.deleteIfExists(kubeconfig);
    }

    @Test
    void rolloutCommandsWorkAgainstTheControllers() throws Exception {
        ObjectNode web = DeploymentFixture.deployment("web", 3, "nginx:1", null);
        ((ObjectNode) web.path("metadata")).putObject("annotations").put("kubernetes.io/change-cause", "first");
        ADMIN.create(ResourceType.DEPLOYMENTS, namespace, web);

        assertThat(kubectl("rollout", "status", "deployment/web", "--watch=false"))
                .isEqualTo("Waiting for deployment spec update to be observed...\n");
        settle();
        assertThat(kubectl("rollout", "status", "deployment/web", "--watch=false"))
                .isEqualTo("deployment \"web\" successfully rolled out\n");
        assertThat(activePods()).hasSize(3);

        kubectl("set", "image", "deployment/web", "c=nginx:2");
        kubectl("annotate", "deployment/web", "kubernetes.io/change-cause=second", "--overwrite");
        settle();
        assertThat(kubectl("rollout", "status", "deployment/web", "--watch=false"))
                .isEqualTo("deployment \"web\" successfully rolled out\n");
        assertThat(images()).containsOnly("nginx:2");
        String history = kubectl("rollout", "history", "deployment/web");
        assertThat(history).contains("REVISION", "CHANGE-CAUSE").containsPattern("1\\s+first")
                .containsPattern("2\\s+second");

        assertThat(kubectl("rollout", "undo", "deployment/web")).isEqualTo("deployment.apps/web rolled back\n");
        settle();
        assertThat(images()).containsOnly("nginx:1");
        assertThat(kubectl("rollout", "history", "deployment/web")).containsPattern("2\\s+second")
                .containsPattern("3\\s+first").doesNotContainPattern("\\n1\\s");
        assertThat(kubectl("rollout", "history", "deployment/web", "--revision=3"))
                .contains("nginx:1");

        kubectl("rollout", "pause", "deployment/web");
        kubectl("set", "image", "deployment/web", "c=nginx:3");
        settle();
        assertThat(images()).containsOnly("nginx:1");
        kubectl("rollout", "resume", "deployment/web");
        settle();
        assertThat(images()).containsOnly("nginx:3");

        int before = ADMIN.list(ResourceType.REPLICA_SETS, namespace, "", "").size();
        kubectl("rollout", "restart", "deployment/web");
        settle();
        assertThat(ADMIN.list(ResourceType.REPLICA_SETS, namespace, "", "")).hasSize(before + 1);

        assertThat(kubectl("scale", "deployment/web", "--replicas=5")).isEqualTo("deployment.apps/web scaled\n");
        settle();
        assertThat(activePods()).hasSize(5);
        assertThat(kubectl("rollout", "status", "deployment/web", "--watch=false"))
                .isEqualTo("deployment \"web\" successfully rolled out\n");
        assertThat(kubectl("get", "deployment", "web", "--no-headers")).matches("web\\s+5/5\\s+5\\s+5\\s+.*\\n");
    }

    /** Runs both loops on every key of the namespace, and readies new pods, until a round changes nothing. */
    private static void settle() throws Exception {
        for (int round = 0; round < 40; round++) {
            String before = state();
            for (ObjectNode deployment : ADMIN.list(ResourceType.DEPLOYMENTS, namespace, "", "")) {
                deployments.reconcile(new ObjectKey("apps/deployments", namespace, Meta.name(deployment)));
            }
            for (ObjectNode rs : ADMIN.list(ResourceType.REPLICA_SETS, namespace, "", "")) {
                replicaSets.reconcile(new ObjectKey("apps/replicasets", namespace, Meta.name(rs)));
            }
            for (ObjectNode pod : activePods()) {
                if (!Pods.isReady(pod)) {
                    Workloads.setStatus(ADMIN, pod, "Running", true, Instant.now().minusSeconds(60));
                }
            }
            if (state().equals(before)) {
                return;
            }
        }
        throw new AssertionError("the loops did not settle");
    }

    private static String state() {
        List<String> versions = new ArrayList<>();
        for (ResourceType type : List.of(ResourceType.DEPLOYMENTS, ResourceType.REPLICA_SETS, ResourceType.PODS)) {
            ADMIN.list(type, namespace, "", "").forEach(o -> versions.add(Meta.name(o) + "@" + Meta.resourceVersion(o)));
        }
        return String.join(",", versions);
    }

    private static List<ObjectNode> activePods() {
        return ADMIN.list(ResourceType.PODS, namespace, "", "").stream().filter(Pods::isActive).toList();
    }

    private static List<String> images() {
        return activePods().stream()
                .map(p -> p.path("spec").path("containers").get(0).path("image").asText()).toList();
    }

    private static String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "-n", namespace));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

}
