package dev.kumo.e2e.kubectl;

import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Manifests;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl describe}: it reads the object, then the events about it (a field selector on involvedObject),
 * and for some kinds related objects; every one of those requests must work for it to print anything.
 */
@ExtendWith(SharedCluster.class)
class KubectlDescribeTest {
    private final KumoCluster cluster;

    KubectlDescribeTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void configMap(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("describe-cm-" + version);
        kubectl.runWithInput(Manifests.configMap(ns, "settings", Map.of("app", "web"), Map.of("mode", "fast")),
                "create", "-f", "-").ok();

        String out = kubectl.run("describe", "configmap", "settings", "-n", ns).ok().out();

        assertThat(out).containsPattern("(?m)^Name:\\s+settings$")
                .containsPattern("(?m)^Namespace:\\s+" + ns + "$")
                .containsPattern("(?m)^Labels:\\s+app=web$")
                .containsPattern("(?m)^Annotations:\\s+<none>$")
                .containsPattern("(?m)^Data\\n====\\nmode:\\n----\\nfast\\n")
                .containsPattern("(?m)^Events:\\s+<none>$");
    }

    @ForEachKubectl
    void pod(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("describe-pod-" + version);
        kubectl.runWithInput(Manifests.pod(ns, "web-0", Map.of("app", "web")), "create", "-f", "-").ok();

        String out = kubectl.run("describe", "pod", "web-0", "-n", ns).ok().out();

        assertThat(out).containsPattern("(?m)^Name:\\s+web-0$")
                .containsPattern("(?m)^Namespace:\\s+" + ns + "$")
                .containsPattern("(?m)^Status:\\s+Pending$")
                .containsPattern("(?m)^Containers:\\n  app:\\n")
                .containsPattern("(?m)^    Image:\\s+registry.k8s.io/pause:3.9$")
                .containsPattern("(?m)^QoS Class:\\s+BestEffort$")
                // No events yet, or already the scheduler's FailedScheduling (this cluster has no nodes).
                .containsPattern("(?m)^Events:(\\s+<none>|\\n(.*\\n){2}\\s+Warning\\s+FailedScheduling\\s+.*"
                        + "default-scheduler\\s+.+)$");
    }

    @ForEachKubectl
    void deployment(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("describe-deploy-" + version);
        kubectl.runWithInput(Manifests.deployment(ns, "web", 2), "create", "-f", "-").ok();

        // The deployment controller sizes its replica set and says so in an event; this cluster has no nodes for
        // the pods, so none becomes available.
        String out = Poll.until(Duration.ofSeconds(60), "describe showing the controller's work",
                () -> kubectl.run("describe", "deployment", "web", "-n", ns).ok().out(),
                text -> text.contains("ScalingReplicaSet") && text.contains("2 updated"));

        assertThat(out).containsPattern("(?m)^Name:\\s+web$")
                .containsPattern("(?m)^Selector:\\s+app=web$")
                .containsPattern("(?m)^Replicas:\\s+2 desired \\| 2 updated \\| 2 total \\| 0 available \\| 2 unavailable$")
                .containsPattern("(?m)^StrategyType:\\s+RollingUpdate$")
                .containsPattern("(?m)^RollingUpdateStrategy:\\s+25% max unavailable, 25% max surge$")
                .containsPattern("(?m)^    Image:\\s+nginx:1.27$")
                .containsPattern("(?m)^NewReplicaSet:\\s+web-[a-z0-9]+ \\(2/2 replicas created\\)$")
                .containsPattern("(?m)^  Normal\\s+ScalingReplicaSet\\s+.*deployment-controller\\s+"
                        + "Scaled up replica set web-[a-z0-9]+ from 0 to 2$");
    }

    @ForEachKubectl
    void namespace(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("describe-ns-" + version);

        String out = kubectl.run("describe", "namespace", ns).ok().out();

        assertThat(out).containsPattern("(?m)^Name:\\s+" + ns + "$")
                .containsPattern("(?m)^Labels:\\s+kubernetes.io/metadata.name=" + ns + "$")
                .containsPattern("(?m)^Status:\\s+Active$");
    }
}
