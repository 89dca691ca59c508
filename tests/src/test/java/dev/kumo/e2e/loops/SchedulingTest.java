package dev.kumo.e2e.loops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler loop on {@code ./kumo up}'s cluster, driven by the real kubectl: a pod that fits is bound to the node
 * with room, one that fits nowhere stays Pending with kube-scheduler's FailedScheduling event.
 */
@ExtendWith(SharedCluster.class)
class SchedulingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOOP = Duration.ofSeconds(60);

    private final KumoCluster cluster;

    SchedulingTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void aPodThatFitsIsBoundAndOneThatDoesNotGetsFailedScheduling() throws Exception {
        Kubectl kubectl = cluster.kubectl("1.32");
        String ns = cluster.newNamespace("scheduling");
        String node = "fake-" + UUID.randomUUID().toString().substring(0, 6);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode nodeObject = (ObjectNode) JSON.readTree("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"}},
                 "status":{"capacity":{"cpu":"2","memory":"4Gi","pods":"110"},
                           "allocatable":{"cpu":"2","memory":"4Gi","pods":"110"},
                           "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady",
                                          "lastHeartbeatTime":"%s","lastTransitionTime":"%s"}]}}"""
                .formatted(node, node, now, now));
        ObjectNode created = (ObjectNode) cluster.api().post("/api/v1/nodes", nodeObject).expect(201).json();
        created.set("status", nodeObject.get("status"));
        cluster.api().put("/api/v1/nodes/" + node + "/status", created).expect(200);

        kubectl.runWithInput(pod(ns, "fits", "500m", node), "create", "-f", "-").ok();
        kubectl.runWithInput(pod(ns, "too-big", "64", node), "create", "-f", "-").ok();

        String boundTo = Poll.until(LOOP, "pod fits bound", () -> kubectl.run("get", "pod", "fits", "-n", ns, "-o",
                "jsonpath={.spec.nodeName}").ok().out().strip(), out -> !out.isEmpty());
        assertThat(boundTo).isEqualTo(node);
        String events = Poll.until(LOOP, "FailedScheduling for too-big", () -> kubectl.run("get", "events", "-n", ns,
                "--field-selector", "reason=FailedScheduling,involvedObject.name=too-big", "-o",
                "jsonpath={.items[*].message}").ok().out().strip(), out -> !out.isEmpty());
        assertThat(events).contains("nodes are available").contains("Insufficient cpu");
        assertThat(kubectl.run("get", "pod", "too-big", "-n", ns, "-o",
                "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}").ok().out().strip())
                .isEqualTo("Unschedulable");
        assertThat(kubectl.run("get", "events", "-n", ns, "--field-selector", "reason=Scheduled", "-o",
                "jsonpath={.items[*].message}").ok().out())
                .contains("Successfully assigned " + ns + "/fits to " + node);
    }

    /** A pod that may only go to this test's node (nodeSelector), so nodes of other tests do not matter. */
    private static String pod(String ns, String name, String cpu, String node) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  nodeSelector:
                    kubernetes.io/hostname: %s
                  containers:
                  - name: app
                    image: registry.local/app:1
                    resources:
                      requests:
                        cpu: "%s"
                """.formatted(name, ns, node, cpu);
    }
}
