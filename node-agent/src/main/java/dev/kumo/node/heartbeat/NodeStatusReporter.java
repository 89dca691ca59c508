package dev.kumo.node.heartbeat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.pods.RuntimeHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Posts the node's status (a strategic merge patch of {@code nodes/<name>/status}) when it changed and at least every
 * {@code reportFrequency}, as the kubelet does with its node status report frequency; the lease is the frequent
 * heartbeat, this is the slow one.
 */
public final class NodeStatusReporter {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStatusReporter.class);

    private final KubeClient client;
    private final String nodeName;
    private final NodeStatusBuilder builder;
    private final Supplier<RuntimeHealth> runtime;
    private final Clock clock;
    private final Duration reportFrequency;
    private JsonNode reported;
    private Instant reportedAt;
    private boolean reread;

    public NodeStatusReporter(KubeClient client, String nodeName, NodeStatusBuilder builder,
                              Supplier<RuntimeHealth> runtime, Clock clock, Duration reportFrequency) {
        this.client = client;
        this.nodeName = nodeName;
        this.builder = builder;
        this.runtime = runtime;
        this.clock = clock;
        this.reportFrequency = reportFrequency;
    }

    /** The status for a Node being registered now. */
    public synchronized ObjectNode initialStatus() {
        return builder.build(runtime.get(), clock.instant(), null);
    }

    /**
     * The Node as registered: a status it carries counts as reported now (a Node that existed before carries the
     * last agent's status, which differs at least in its boot id and is replaced at the next {@link #sync()}).
     */
    public synchronized void registered(ObjectNode node) {
        reported = node.path("status");
        reportedAt = clock.instant();
    }

    /**
     * The node missed a heartbeat: the node lifecycle controller may have written its status meanwhile (Ready
     * Unknown), so the next {@link #sync()} compares with the Node as stored rather than with the last report.
     */
    public synchronized void rereadBeforeNextSync() {
        reread = true;
    }

    /** Posts the status if it changed or the last report is old; true when it posted. */
    public synchronized boolean sync() {
        if (reread) {
            reported = client.get(ResourceType.NODES, "", nodeName).orElseThrow(() ->
                    new IllegalStateException("node " + nodeName + " is gone")).path("status");
            reread = false;
        }
        Instant now = clock.instant();
        ObjectNode status = builder.build(runtime.get(), now, reported);
        boolean changed = NodeStatusBuilder.changed(reported, status);
        if (!changed && reportedAt != null && Duration.between(reportedAt, now).compareTo(reportFrequency) < 0) {
            return false;
        }
        ObjectNode patch = client.mapper().createObjectNode();
        patch.set("status", status);
        // A strategic merge patch, as the kubelet sends: conditions merge by type, so a condition another controller
        // owns (the route controller's NetworkUnavailable) stays; a JSON merge patch would replace the whole list.
        ObjectNode node = client.strategicMergePatch(ResourceType.NODES, "", nodeName, "status", patch);
        reported = node.path("status");
        reportedAt = now;
        LOG.atDebug().addKeyValue("node", nodeName).addKeyValue("changed", changed).log("posted node status");
        return true;
    }
}
