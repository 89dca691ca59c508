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
 * A node pool on the local cluster, through the real kubectl, with the local provider's instances (simulated node
 * agents in the cluster's JVM): launched to its minimum; grown when a Deployment does not fit, the new nodes running
 * its pods; an instance terminated from the provider's side loses its Node (once NotReady) and its pods move to a
 * replacement node; shrunk back to its minimum once the Deployment is gone and the nodes stayed empty for the
 * pool's TTL. Real time (a few minutes: node lifecycle's 40 s grace, the minute tick), and a cluster of its own.
 */
@Tag("slow")
class NodePoolTest {
    private static final Duration LOOPS = Duration.ofSeconds(180);
    private static final String POOL = """
            apiVersion: kumo.dev/v1alpha1
            kind: NodePool
            metadata:
              name: web
            spec:
              instanceTypes: [kumo.small]
              minSize: 1
              maxSize: 3
              emptyNodeTTL: 15s
              labels: {tier: web}
            """;

    private static KumoCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = KumoCluster.start(0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** kumo.small has 2 cpus: two pods of 900m fit a node, five need three nodes. */
    private static String deployment(String namespace, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: big, namespace: %s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: big}}
                  template:
                    metadata: {labels: {app: big}}
                    spec:
                      nodeSelector: {tier: web}
                      containers:
                      - name: app
                        image: nginx:1.27
                        resources: {requests: {cpu: 900m, memory: 256Mi}}
                """.formatted(namespace, replicas);
    }

    private static Set<String> readyNodes(Kubectl kubectl) {
        String out = kubectl.run("get", "nodes", "-l", "kumo.dev/node-pool=web", "-o",
                "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status}"
                        + "{\"\\n\"}{end}").ok().out();
        return out.lines().filter(l -> l.endsWith("=True")).map(l -> l.substring(0, l.indexOf('=')))
                .collect(Collectors.toSet());
    }

    @Test
    void aPoolGrowsForADeploymentLosesAKilledInstanceAndShrinksBack() {
        Kubectl kubectl = cluster.kubectl("1.32");
        kubectl.runWithInput(POOL, "apply", "-f", "-").ok();
        long started = System.nanoTime();
        Poll.until(LOOPS, "the pool's first node Ready", () -> readyNodes(kubectl), nodes -> nodes.equals(Set.of("web-1")));
        System.out.printf("node pool web: first node Ready %.1f s after the pool was applied%n",
                (System.nanoTime() - started) / 1e9);
        // The cloud node controller fills in what the cloud knows.
        Poll.until(LOOPS, "web-1 initialized from its instance", () -> kubectl.run("get", "node", "web-1", "-o",
                "jsonpath={.spec.providerID} {.metadata.labels.node\\.kubernetes\\.io/instance-type} "
                        + "{.metadata.labels.tier} {.status.allocatable.cpu}").ok().out().strip(),
                "kumo-local:///web-1 kumo.small web 2"::equals);

        String ns = cluster.newNamespace("pool");
        kubectl.runWithInput(deployment(ns, 5), "apply", "-f", "-").ok();
        started = System.nanoTime();
        List<PodView> running = PodView.awaitServing(cluster.api(), ns, "app=big", 5, LOOPS);
        System.out.printf("node pool web: 5 pods of 900m running on 3 nodes %.1f s after the Deployment%n",
                (System.nanoTime() - started) / 1e9);
        assertThat(running.stream().map(PodView::node).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("web-1", "web-2", "web-3");
        List<String> table = Poll.until(LOOPS, "kubectl get nodepools showing 3 nodes",
                () -> kubectl.run("get", "nodepools").ok().out().lines().toList(),
                lines -> lines.size() == 2 && lines.get(1).matches("web\\s+1\\s+3\\s+3\\s+3\\s+.*"));
        assertThat(table.getFirst().split("\\s+")).containsExactly("NAME", "MIN", "MAX", "NODES", "READY", "AGE");
        assertThat(kubectl.run("get", "events", "-n", ns, "--field-selector", "reason=TriggeredScaleUp", "-o",
                "jsonpath={.items[*].message}").ok().out()).contains("pod triggered scale-up: [{web ");

        // The cloud takes web-2 away: its agent stops, node lifecycle marks it Unknown, the cloud node controller
        // deletes it (its instance is gone) with its pods, and their replacements need a node: the pool launches one.
        // A node with two pods: one replacement fits beside the single pod elsewhere, the other needs a new node.
        // (The ReplicaSet names a replacement as it named the pod it replaces, so pods are told apart by node.)
        String killed = running.stream().collect(Collectors.groupingBy(PodView::node, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() == 2).map(java.util.Map.Entry::getKey).sorted()
                .findFirst().orElseThrow();
        try {
            cluster.local().instances().terminate("kumo-local:///" + killed);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        started = System.nanoTime();
        Poll.until(LOOPS, "node " + killed + " deleted", () -> kubectl.run("get", "nodes", "-o", "name").ok().out(),
                out -> !out.contains("node/" + killed));
        System.out.printf("node pool web: %s's Node deleted %.1f s after its instance was terminated%n", killed,
                (System.nanoTime() - started) / 1e9);
        List<PodView> moved = Poll.until(LOOPS, "the pods serving again without " + killed,
                () -> PodView.list(cluster.api(), ns, "app=big"), pods -> pods.size() == 5
                        && pods.stream().allMatch(PodView::serving)
                        && pods.stream().noneMatch(p -> p.node().equals(killed)));
        System.out.printf("node pool web: %s's pods replaced %.1f s after its instance was terminated%n", killed,
                (System.nanoTime() - started) / 1e9);
        assertThat(moved.stream().map(PodView::node).collect(Collectors.toSet()))
                .as("pods %s on nodes %s", moved, kubectl.run("get", "nodes", "-o", "jsonpath={range .items[*]}"
                        + "{.metadata.name}:{.status.allocatable.cpu} {end}").ok().out())
                .doesNotContain(killed).contains("web-4");

        kubectl.run("delete", "deployment", "big", "-n", ns).ok();
        started = System.nanoTime();
        Poll.until(LOOPS, "the pool back at its minimum", () -> kubectl.run("get", "nodes", "-l",
                "kumo.dev/node-pool=web", "-o", "name").ok().out().lines().count(), count -> count == 1);
        System.out.printf("node pool web: shrunk to 1 node %.1f s after the Deployment was deleted%n",
                (System.nanoTime() - started) / 1e9);
        assertThat(kubectl.run("get", "events", "--field-selector", "reason=ScaleDown", "-o",
                "jsonpath={.items[*].message}").ok().out()).contains("Scale-down: removing empty node web-");

        kubectl.run("scale", "nodepool/web", "--replicas=2").ok();
        Poll.until(LOOPS, "two nodes after kubectl scale", () -> readyNodes(kubectl).size(), size -> size == 2);
        assertThat(kubectl.run("get", "nodepool", "web", "-o", "jsonpath={.spec.replicas}").ok().out().strip())
                .isEqualTo("2");
    }
}
