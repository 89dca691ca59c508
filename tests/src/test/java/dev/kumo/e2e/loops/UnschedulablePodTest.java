package dev.kumo.e2e.loops;

import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.SharedNodeCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pod asking more cpu than any of the three simulated nodes (8 cpu each) has stays Pending, with kube-scheduler's
 * FailedScheduling event naming every node, as {@code kubectl describe} and {@code kubectl get events} show it.
 */
@ExtendWith(SharedNodeCluster.class)
class UnschedulablePodTest {
    private static final Duration LOOPS = Duration.ofSeconds(120);
    private static final String MESSAGE = "0/3 nodes are available: 3 Insufficient cpu.";

    private final KumoCluster cluster;

    UnschedulablePodTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void aPodTooBigForEveryNodeGetsFailedScheduling() {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("unschedulable");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: too-big
                  namespace: %s
                spec:
                  containers:
                  - name: app
                    image: registry.local/app:1
                    resources:
                      requests: {cpu: "12"}
                """.formatted(ns), "create", "-f", "-").ok();

        String events = Poll.until(LOOPS, "FailedScheduling of too-big", () -> kubectl.run("get", "events", "-n", ns,
                "--field-selector", "reason=FailedScheduling,involvedObject.name=too-big", "-o",
                "jsonpath={.items[*].message}").ok().out(), out -> !out.isBlank());
        assertThat(events).startsWith(MESSAGE);
        String describe = kubectl.run("describe", "pod", "too-big", "-n", ns).ok().out();
        assertThat(describe).containsPattern("Status:\\s+Pending").containsPattern("Node:\\s+<none>")
                .containsPattern("Warning\\s+FailedScheduling\\s+.*default-scheduler\\s+" + MESSAGE.replace(".",
                        "\\."));
        assertThat(kubectl.run("get", "pod", "too-big", "-n", ns, "-o",
                "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}").ok().out().strip())
                .isEqualTo("Unschedulable");
    }
}
