package dev.kumo.e2e.loops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.controllers.status.Conditions;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.PodView;
import dev.kumo.e2e.support.SharedNodeCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rolling updates by the Deployment and ReplicaSet loops on simulated nodes, driven by the real kubectl: {@code set
 * image} rolls within maxSurge and maxUnavailable at every observation, {@code rollout status}, {@code history} and
 * {@code undo} work; an update whose pods never become Ready hits its progress deadline.
 */
@ExtendWith(SharedNodeCluster.class)
class DeploymentRolloutTest {
    private static final Duration LOOPS = Duration.ofSeconds(120);
    private static final int REPLICAS = 10;
    private static final int MAX_SURGE = 3;
    private static final int MAX_UNAVAILABLE = 2;

    private final KumoCluster cluster;

    DeploymentRolloutTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    /** Slow: three rollouts of ten pods, some 40 s here (two minutes when the machine is loaded). */
    @Test
    @Tag("slow")
    void setImageRollsWithinSurgeAndUnavailableAndUndoBringsTheFirstTemplateBack() throws Exception {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("rollout");
        kubectl.runWithInput(Workload.deployment(ns, "web", REPLICAS, "nginx:1.27", """
                strategy:
                  type: RollingUpdate
                  rollingUpdate: {maxSurge: %d, maxUnavailable: %d}
                """.formatted(MAX_SURGE, MAX_UNAVAILABLE), ""), "apply", "-f", "-").ok();
        List<PodView> first = awaitServing(ns, "web", "nginx:1.27");
        String firstHash = first.getFirst().templateHash();
        assertThat(first).extracting(PodView::templateHash).containsOnly(firstHash);

        RolloutObserver observer = new RolloutObserver(cluster.api(), ns, "app=web");
        kubectl.run("set", "image", "deployment/web", "-n", ns, "web=nginx:1.28").ok();
        Kubectl.Result status = rolloutStatus(kubectl, ns, "web");
        List<PodView> second = awaitServing(ns, "web", "nginx:1.28");
        RolloutObserver.Observations seen = observer.stop();

        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.out()).contains("deployment \"web\" successfully rolled out");
        assertThat(seen.desired()).as("the replica sets' replicas summed after each change of %s", seen.changes())
                .hasSizeGreaterThan(2).allMatch(desired -> desired <= REPLICAS + MAX_SURGE);
        assertThat(seen.pods()).as("pod lists during the rollout").hasSizeGreaterThan(5)
                .anyMatch(pods -> pods.hashes().size() == 2)
                .allSatisfy(pods -> assertThat(pods.available()).as("available pods at %s", pods)
                        .isGreaterThanOrEqualTo(REPLICAS - MAX_UNAVAILABLE));
        // Pods themselves may briefly outnumber replicas + maxSurge, in kube too: the controller grows the new
        // ReplicaSet once the old one's replicas went down, before the old one's controller deleted the pods.
        System.out.printf("rollout of %d replicas: %d replica set changes, at most %d replicas desired; %d pod "
                        + "lists, at most %d pods, at least %d available%n", REPLICAS, seen.desired().size(),
                seen.desired().stream().mapToInt(Integer::intValue).max().orElseThrow(), seen.pods().size(),
                seen.pods().stream().mapToInt(RolloutObserver.PodObservation::pods).max().orElseThrow(),
                seen.pods().stream().mapToInt(RolloutObserver.PodObservation::available).min().orElseThrow());
        String secondHash = second.getFirst().templateHash();
        assertThat(secondHash).isNotEqualTo(firstHash);

        String history = kubectl.run("rollout", "history", "deployment/web", "-n", ns).ok().out();
        assertThat(history).contains("REVISION").containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
        assertThat(kubectl.run("rollout", "history", "deployment/web", "-n", ns, "--revision=1").ok().out())
                .contains("nginx:1.27").contains("pod-template-hash=" + firstHash);

        assertThat(kubectl.run("rollout", "undo", "deployment/web", "-n", ns).ok().out())
                .isEqualTo("deployment.apps/web rolled back\n");
        List<PodView> undone = awaitServing(ns, "web", "nginx:1.27");
        assertThat(undone).extracting(PodView::templateHash).containsOnly(firstHash);
        assertThat(rolloutStatus(kubectl, ns, "web").exitCode()).isZero();
        // The first ReplicaSet took revision 3 (kube moves the revision to the template brought back).
        assertThat(kubectl.run("rollout", "history", "deployment/web", "-n", ns).ok().out())
                .containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s").doesNotContainPattern("(?m)^1\\s");
    }

    @Test
    void anUpdateWhosePodsNeverBecomeReadyExceedsItsProgressDeadline() {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("deadline");
        // Three replicas with the default 25 % surge/unavailable: maxSurge 1, maxUnavailable 0.
        kubectl.runWithInput(Workload.deployment(ns, "stuck", 3, "nginx:1.27", "progressDeadlineSeconds: 10", ""),
                "apply", "-f", "-").ok();
        String oldHash = awaitServing(ns, "stuck", "nginx:1.27").getFirst().templateHash();

        // The simulated kubelet honours readiness gates: nobody ever sets this condition, so new pods stay unready.
        kubectl.run("patch", "deployment", "stuck", "-n", ns, "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"readinessGates\":[{\"conditionType\":\"example.com/never\"}]}}}}")
                .ok();
        Kubectl.Result status = rolloutStatus(kubectl, ns, "stuck");
        assertThat(status.exitCode()).as("%s", status).isNotZero();
        assertThat(status.err()).contains("error: deployment \"stuck\" exceeded its progress deadline");

        JsonNode progressing = condition(ns, "stuck", "Progressing");
        assertThat(progressing.path("status").asText()).isEqualTo("False");
        assertThat(progressing.path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(kubectl.run("get", "deployment", "stuck", "-n", ns, "-o",
                "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}").ok().out().strip())
                .isEqualTo("ProgressDeadlineExceeded");
        List<PodView> pods = PodView.list(cluster.api(), ns, "app=stuck");
        assertThat(pods.stream().filter(pod -> pod.templateHash().equals(oldHash)).toList())
                .as("the old pods stay, all available (maxUnavailable 0): %s", pods).hasSize(3)
                .allMatch(PodView::serving);
        assertThat(pods.stream().filter(pod -> !pod.templateHash().equals(oldHash)).toList())
                .as("one surge pod, running but never ready: %s", pods).hasSize(1)
                .allMatch(pod -> "Running".equals(pod.phase()) && !pod.ready());
    }

    /** {@code kubectl rollout status}, which watches until the rollout ends one way or the other. */
    private static Kubectl.Result rolloutStatus(Kubectl kubectl, String ns, String name) {
        try (Kubectl.Running running = kubectl.start("rollout", "status", "deployment/" + name, "-n", ns,
                "--timeout=110s")) {
            return running.awaitExit(Duration.ofSeconds(130));
        }
    }

    private JsonNode condition(String ns, String name, String type) {
        return Conditions.find(cluster.api().get("/apis/apps/v1/namespaces/" + ns + "/deployments/" + name)
                .expect(200).json(), type)
                .orElseThrow(() -> new AssertionError("deployment " + name + " has no " + type + " condition"));
    }

    /** Waits until the Deployment's pods are exactly its replicas, all of {@code image}, serving, none left over. */
    private List<PodView> awaitServing(String ns, String name, String image) {
        int replicas = cluster.api().get("/apis/apps/v1/namespaces/" + ns + "/deployments/" + name).expect(200)
                .json().path("spec").path("replicas").asInt();
        return Poll.until(LOOPS, replicas + " serving pods of " + image, () -> PodView.list(cluster.api(), ns,
                "app=" + name), pods -> pods.size() == replicas
                && pods.stream().allMatch(pod -> pod.serving() && pod.image().equals(image)));
    }
}
