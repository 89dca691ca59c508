package dev.kumo.e2e.kubectl;

import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Manifests;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands that follow changes: {@code get -w} (a list, then a watch whose events the server sends as one-row
 * tables) and {@code wait} (a watch until a condition holds).
 */
@ExtendWith(SharedCluster.class)
class KubectlWatchTest {
    private static final Duration EVENT = Duration.ofSeconds(20);

    private final KumoCluster cluster;

    KubectlWatchTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void getWatchPrintsOneRowPerChangeUnderOneHeader(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-w-" + version);
        create(kubectl, ns, "first", Map.of("a", "1"));

        try (Kubectl.Running watch = kubectl.start("get", "configmaps", "-n", ns, "-w")) {
            assertThat(cells(watch.awaitLine(line -> line.startsWith("NAME"), EVENT)))
                    .containsExactly("NAME", "DATA", "AGE");
            assertThat(cells(watch.awaitLine(line -> line.startsWith("first"), EVENT))).startsWith("first", "1");

            create(kubectl, ns, "second", Map.of("a", "1"));
            assertThat(cells(watch.awaitLine(line -> line.startsWith("second"), EVENT))).startsWith("second", "1");
            kubectl.run("patch", "configmap", "second", "-n", ns, "--type=merge", "-p", "{\"data\":{\"b\":\"2\"}}")
                    .ok();
            assertThat(cells(watch.awaitLine(line -> line.startsWith("second"), EVENT))).startsWith("second", "2");
            kubectl.run("delete", "configmap", "second", "-n", ns).ok();
            assertThat(cells(watch.awaitLine(line -> line.startsWith("second"), EVENT))).startsWith("second", "2");

            // The namespace's kube-root-ca.crt (which every namespace has) is listed first besides.
            assertThat(watch.seenLines()).hasSize(6).allSatisfy(line -> assertThat(cells(line)).hasSize(3));
        }
    }

    @ForEachKubectl
    void getWatchWithEventsNamesEachChange(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("get-w-events-" + version);
        create(kubectl, ns, "first", Map.of());

        try (Kubectl.Running watch = kubectl.start("get", "configmaps", "-n", ns, "-w", "--output-watch-events")) {
            assertThat(cells(watch.awaitLine(line -> line.startsWith("EVENT"), EVENT)))
                    .containsExactly("EVENT", "NAME", "DATA", "AGE");
            assertThat(cells(watch.awaitLine(line -> line.contains("first"), EVENT))).startsWith("ADDED", "first", "0");

            create(kubectl, ns, "second", Map.of());
            assertThat(cells(watch.awaitLine(line -> line.contains("second"), EVENT)))
                    .startsWith("ADDED", "second", "0");
            kubectl.run("label", "configmap", "second", "-n", ns, "seen=yes").ok();
            assertThat(cells(watch.awaitLine(line -> line.contains("second"), EVENT)))
                    .startsWith("MODIFIED", "second", "0");
            kubectl.run("delete", "configmap", "second", "-n", ns).ok();
            assertThat(cells(watch.awaitLine(line -> line.contains("second"), EVENT)))
                    .startsWith("DELETED", "second", "0");
        }
    }

    @ForEachKubectl
    void waitForAConditionSetThroughTheStatusSubresource(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("wait-cond-" + version);
        kubectl.runWithInput(Manifests.deployment(ns, "web", 1), "create", "-f", "-").ok();

        Kubectl.Result notYet = kubectl.run("wait", "--for=condition=Available", "deployment/web", "-n", ns,
                "--timeout=1s").failed();
        Kubectl.Result waited;
        try (Kubectl.Running wait = kubectl.start("wait", "--for=condition=Available", "deployment/web", "-n", ns,
                "--timeout=30s")) {
            kubectl.run("patch", "deployment", "web", "-n", ns, "--subresource=status", "--type=merge", "-p",
                    "{\"status\":{\"conditions\":[{\"type\":\"Available\",\"status\":\"True\","
                            + "\"reason\":\"MinimumReplicasAvailable\",\"message\":\"ready\"}]}}").ok();
            waited = wait.awaitExit(Duration.ofSeconds(30));
        }

        assertThat(notYet.err()).contains("timed out waiting for the condition on deployments/web");
        assertThat(waited.exitCode()).as(waited.toString()).isZero();
        assertThat(waited.out()).isEqualTo("deployment.apps/web condition met\n");
    }

    @ForEachKubectl
    void waitForAPodToBeReadyAndRunning(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("wait-pod-" + version);
        kubectl.runWithInput(Manifests.pod(ns, "web-0", Map.of()), "create", "-f", "-").ok();

        Kubectl.Result ready;
        Kubectl.Result running;
        try (Kubectl.Running waitReady = kubectl.start("wait", "--for=condition=Ready", "pod/web-0", "-n", ns,
                "--timeout=30s");
             Kubectl.Running waitRunning = kubectl.start("wait", "--for=jsonpath={.status.phase}=Running",
                     "pod/web-0", "-n", ns, "--timeout=30s")) {
            kubectl.run("patch", "pod", "web-0", "-n", ns, "--subresource=status", "--type=merge", "-p",
                    "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}")
                    .ok();
            ready = waitReady.awaitExit(Duration.ofSeconds(30));
            running = waitRunning.awaitExit(Duration.ofSeconds(30));
        }

        assertThat(ready.exitCode()).as(ready.toString()).isZero();
        assertThat(ready.out()).isEqualTo("pod/web-0 condition met\n");
        assertThat(running.exitCode()).as(running.toString()).isZero();
        assertThat(running.out()).isEqualTo("pod/web-0 condition met\n");
    }

    private static void create(Kubectl kubectl, String ns, String name, Map<String, String> data) {
        kubectl.runWithInput(Manifests.configMap(ns, name, Map.of(), data), "create", "-f", "-").ok();
    }

    /** A printed row split into cells (configmap rows have no spaces inside cells). */
    private static List<String> cells(String line) {
        return List.of(line.trim().split("\\s+"));
    }
}
