package dev.kumo.node.heartbeat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.ApiTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * The node's Lease in {@code kube-node-lease}, renewed as the kubelet's node lease controller does: holder
 * identity the node's name, {@code leaseDurationSeconds} 40, {@code renewTime} now, owned by the Node (so that it
 * goes when the Node goes). A renewal updates the lease it last wrote, sparing a GET; when that fails on a stale
 * version or a missing lease, it reads the lease (creating it when absent) and updates that.
 */
public final class NodeLease {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLease.class);
    public static final String NAMESPACE = "kube-node-lease";
    public static final int LEASE_DURATION_SECONDS = 40;

    private final KubeClient client;
    private final String nodeName;
    private final Supplier<String> nodeUid;
    private final Clock clock;
    private ObjectNode latest;

    /** @param nodeUid the registered Node's uid, for the owner reference ("" while unknown) */
    public NodeLease(KubeClient client, String nodeName, Supplier<String> nodeUid, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.nodeUid = nodeUid;
        this.clock = clock;
    }

    /** Renews the lease once (creating it if needed); an {@link ApiError} or I/O failure propagates. */
    public synchronized void renew() {
        if (latest != null) {
            try {
                latest = client.update(ResourceType.LEASES, renewed(latest));
                return;
            } catch (ApiError e) {
                if (!e.isConflict() && !e.isNotFound()) {
                    throw e;
                }
                LOG.atInfo().addKeyValue("node", nodeName)
                        .log("failed to update lease using latest lease, fallback to ensure lease: " + e.getMessage());
            }
        }
        var existing = client.get(ResourceType.LEASES, NAMESPACE, nodeName);
        if (existing.isEmpty()) {
            ObjectNode lease = client.mapper().createObjectNode()
                    .put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
            lease.putObject("metadata").put("name", nodeName).put("namespace", NAMESPACE);
            latest = client.create(ResourceType.LEASES, NAMESPACE, renewed(lease));
            LOG.atInfo().addKeyValue("node", nodeName).log("created the node lease");
            return;
        }
        latest = client.update(ResourceType.LEASES, renewed(existing.get()));
    }

    private ObjectNode renewed(ObjectNode base) {
        ObjectNode lease = base.deepCopy();
        ((ObjectNode) lease.path("metadata")).remove("managedFields");
        ObjectNode spec = lease.has("spec") ? (ObjectNode) lease.get("spec") : lease.putObject("spec");
        spec.put("holderIdentity", nodeName).put("leaseDurationSeconds", LEASE_DURATION_SECONDS)
                .put("renewTime", ApiTime.microTime(clock.instant()));
        ObjectNode metadata = (ObjectNode) lease.get("metadata");
        String uid = nodeUid.get();
        if (!metadata.has("ownerReferences") && !uid.isEmpty()) {
            metadata.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node")
                    .put("name", nodeName).put("uid", uid);
        }
        return lease;
    }
}
