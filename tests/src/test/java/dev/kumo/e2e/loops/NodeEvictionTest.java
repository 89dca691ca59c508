package dev.kumo.e2e.loops;

import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.PodView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A simulated node that stops heartbeating: past node lifecycle's 40 s grace period its Ready condition goes Unknown
 * and it gets the unreachable taints; its pods, which tolerate that taint for 5 s only, are evicted and the
 * Deployment's replacements run on the other nodes. Real time (about a minute), and a cluster of its own since a
 * node is lost for good.
 */
@Tag("slow")
class NodeEvictionTest {
    private static final Duration LOOPS = Duration.ofSeconds(120);
    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    private static final int REPLICAS = 6;

    private static KumoCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = KumoCluster.start(3);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSilentNodesPodsAreEvictedAndReplacedOnTheOthers() {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("eviction");
        kubectl.runWithInput(Workload.deployment(ns, "web", REPLICAS, "nginx:1.27", "", """
                tolerations:
                - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
                - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
                """), "apply", "-f", "-").ok();
        List<PodView> before = PodView.awaitServing(cluster.api(), ns, "app=web", REPLICAS, LOOPS);
        String silent = before.getFirst().node();
        Set<String> evicted = before.stream().filter(pod -> pod.node().equals(silent)).map(PodView::name)
                .collect(Collectors.toSet());

        cluster.local().stopNode(silent);
        long stopped = System.nanoTime();
        Poll.until(LOOPS, silent + " Ready=Unknown", () -> kubectl.run("get", "node", silent, "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").ok().out().strip(), "Unknown"::equals);
        System.out.printf("%s went Ready=Unknown %.1f s after it stopped heartbeating%n", silent,
                (System.nanoTime() - stopped) / 1e9);
        String taints = Poll.until(LOOPS, silent + " unreachable taints", () -> kubectl.run("get", "node", silent,
                "-o", "jsonpath={range .spec.taints[*]}{.key}:{.effect}{\"\\n\"}{end}").ok().out(),
                out -> out.contains(UNREACHABLE + ":NoExecute") && out.contains(UNREACHABLE + ":NoSchedule"));
        assertThat(taints.lines()).contains(UNREACHABLE + ":NoExecute", UNREACHABLE + ":NoSchedule");
        assertThat(kubectl.run("describe", "node", silent).ok().out()).contains("NodeStatusUnknown")
                .contains("Kubelet stopped posting node status.");

        // Evicted pods are deleted: the silent kubelet never confirms, so they may stay Terminating, as in kube.
        List<PodView> after = Poll.until(LOOPS, "replacements serving away from " + silent,
                () -> PodView.list(cluster.api(), ns, "app=web"), pods ->
                        pods.stream().filter(pod -> evicted.contains(pod.name())).allMatch(PodView::terminating)
                                && pods.stream().filter(PodView::serving).count() == REPLICAS);
        System.out.printf("%d pods of %s evicted and replaced %.1f s after it stopped heartbeating%n",
                evicted.size(), silent, (System.nanoTime() - stopped) / 1e9);
        assertThat(after.stream().filter(PodView::serving).map(PodView::node).distinct().toList())
                .as("nodes of the serving pods").isNotEmpty().doesNotContain(silent);
        assertThat(kubectl.run("get", "events", "-n", ns, "--field-selector", "reason=TaintManagerEviction", "-o",
                "jsonpath={.items[*].message}").ok().out())
                .contains(evicted.stream().map(name -> "Marking for deletion Pod " + ns + "/" + name).toList());
    }
}
