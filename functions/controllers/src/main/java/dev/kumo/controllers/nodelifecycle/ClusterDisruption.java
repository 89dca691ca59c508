package dev.kumo.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.status.Conditions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * kube's full-disruption guard: when no node is Ready (every zone fully disrupted), the control plane is more likely
 * cut off than every node dead, so no pod is evicted and the controller's NoExecute taints are taken off. Nodes
 * labelled {@code node.kubernetes.io/exclude-disruption} do not count. Read only for unhealthy nodes, and kept per
 * process for {@link #MAX_AGE}, so that a cluster-wide outage does not list every node once per node. kube's partial
 * disruption (slower evictions when most of a zone is down) is not done: evictions are not rate limited here.
 */
final class ClusterDisruption {
    static final Duration MAX_AGE = Duration.ofSeconds(30);
    static final String EXCLUDE_LABEL = "node.kubernetes.io/exclude-disruption";

    private final KubeClient client;
    private final Clock clock;
    private Instant readAt;
    private boolean anyReady;

    ClusterDisruption(KubeClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** False when no counted node is Ready. */
    synchronized boolean evictionsAllowed() {
        Instant now = clock.instant();
        if (readAt == null || Duration.between(readAt, now).compareTo(MAX_AGE) > 0) {
            int counted = 0;
            boolean ready = false;
            for (ObjectNode node : client.list(ResourceType.NODES, "", "", "")) {
                if (node.path("metadata").path("labels").has(EXCLUDE_LABEL)) {
                    continue;
                }
                counted++;
                ready |= Conditions.status(node, "Ready").equals("True");
            }
            anyReady = ready || counted == 0;
            readAt = now;
        }
        return anyReady;
    }
}
