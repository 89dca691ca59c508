package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.cache.PodCache;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.Workloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The cluster as this process's scheduler sees it (kube-scheduler's cache): a LIST of nodes, namespaces, services and
 * ReplicaSets and the pods as of now ({@link PodCache}: kept current by short watches rather than listed each time)
 * make a {@link ClusterSnapshot}, which is reused for {@code maxAge} so that a stream of small batches does not read
 * the cluster each time. The snapshot is kept current with this
 * process's own placements ("assume"); what other invocations bind shows up at the next build, and until then the
 * API's node reservations refuse what no longer fits (a 409, after which the caller {@link #invalidate}s).
 *
 * <p>Placements whose binding is in flight, or completed after a build's list began, are carried into the next
 * snapshot, as kube-scheduler's cache keeps assumed pods until its informer shows them bound. Not thread-safe by
 * itself: callers hold the object's monitor ({@code synchronized (source)}) around every use, which the
 * synchronized methods make reentrant.
 */
final class SnapshotSource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSource.class);
    private static final long IN_FLIGHT = Long.MAX_VALUE;

    /** A safety net: the pods are listed again this long after their last list, however well the watches did. */
    static final Duration RELIST_PODS_AFTER = Duration.ofMinutes(5);

    private final KubeClient client;
    private final PodCache pods;
    private final Executor io;
    private final long maxAgeNanos;
    private final Map<String, Assumed> assumed = new HashMap<>();
    /** The placements of {@link #assumed} that the current snapshot holds (not those its list showed bound). */
    private final Set<String> placedHere = new HashSet<>();
    private View current;
    private long builtAt;

    /**
     * The snapshot and, when it was listed for this call, the pods waiting for this scheduler then; {@code
     * waitingAntiAffinity}: the pods that waited at the list with required anti-affinity (any scheduler may be
     * placing them now, so the pods they select depend on positions: {@link PodPositions}).
     */
    record View(ClusterSnapshot cluster, List<ObjectNode> pending, boolean fresh, List<PodInfo> waitingAntiAffinity) {
    }

    /** A placement this process made: {@code boundAt} is when its binding succeeded ({@link #IN_FLIGHT} until). */
    private record Assumed(PodInfo placed, long boundAt) {
    }

    SnapshotSource(KubeClient client, Executor io, Duration maxAge) {
        this.client = client;
        this.pods = new PodCache(client, RELIST_PODS_AFTER);
        this.io = io;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The kept snapshot while it is young enough (its {@code pending} is null then), else a new one. */
    synchronized View reuse() {
        if (isReusable()) {
            return new View(current.cluster(), null, false, current.waitingAntiAffinity());
        }
        return fresh();
    }

    /** Whether {@link #reuse} would keep the snapshot rather than list again. */
    synchronized boolean isReusable() {
        return current != null && System.nanoTime() - builtAt < maxAgeNanos;
    }

    /** A snapshot read now (pods as of a revision read now): what a verdict of "no node fits" must rest on. */
    synchronized View fresh() {
        long listedAt = System.nanoTime();
        CompletableFuture<List<ObjectNode>> nodes = list(() -> client.list(ResourceType.NODES, "", "", ""));
        CompletableFuture<List<ObjectNode>> allPods = list(pods::current);
        CompletableFuture<List<ObjectNode>> namespaces = list(() -> client.list(ResourceType.NAMESPACES, "", "", ""));
        CompletableFuture<List<ObjectNode>> services = list(() -> client.list(ResourceType.SERVICES, "", "", ""));
        CompletableFuture<List<ObjectNode>> replicaSets = list(() -> client.list(ResourceType.REPLICA_SETS, "", "",
                ""));
        List<ObjectNode> bound = new ArrayList<>();
        List<ObjectNode> pending = new ArrayList<>();
        Set<String> boundIdentities = new HashSet<>();
        for (ObjectNode pod : join(allPods)) {
            if (PendingPods.isBound(pod)) {
                bound.add(pod);
                boundIdentities.add(PodInfo.identity(pod));
            } else if (PendingPods.isOurs(pod)) {
                pending.add(pod);
            }
        }
        // StatefulSets and ReplicationControllers are not served by kumo, so they define no default spreading.
        ClusterSnapshot cluster = ClusterSnapshot.builder().nodes(join(nodes)).pods(bound)
                .namespaces(join(namespaces))
                .workloads(Workloads.of(join(services), List.of(), join(replicaSets), List.of()))
                .build();
        placedHere.clear();
        carryAssumed(cluster, listedAt, boundIdentities);
        pending.removeIf(pod -> assumed.containsKey(PodInfo.identity(pod)));
        current = new View(cluster, List.copyOf(pending), true, withRequiredAntiAffinity(pending));
        builtAt = listedAt;
        LOG.atDebug().setMessage("snapshot listed").addKeyValue("nodes", cluster.size())
                .addKeyValue("boundPods", bound.size()).addKeyValue("pendingPods", pending.size())
                .addKeyValue("assumedPods", assumed.size()).log();
        return current;
    }

    /** The next {@link #reuse} lists again (a binding was refused: this view is wrong somewhere). */
    synchronized void invalidate() {
        builtAt = System.nanoTime() - maxAgeNanos;
    }

    /** Places the pod in the current snapshot and remembers the placement until a later list shows it. */
    synchronized PodInfo assume(PodInfo pod, String node) {
        PodInfo placed = current.cluster().assume(pod, node);
        assumed.put(placed.identity(), new Assumed(placed, IN_FLIGHT));
        placedHere.add(placed.identity());
        return placed;
    }

    /** The binding of an assumed pod succeeded. */
    synchronized void bound(PodInfo placed) {
        assumed.computeIfPresent(placed.identity(), (id, entry) -> new Assumed(entry.placed(), System.nanoTime()));
    }

    /** The binding of an assumed pod did not happen: take it back out. */
    synchronized void forget(PodInfo placed) {
        assumed.remove(placed.identity());
        if (placedHere.remove(placed.identity())) {
            current.cluster().forget(placed);
        }
    }

    /**
     * Puts this process's placements that the list may not show into the new snapshot; forgets those it must show
     * (bound before the list began), so that a pod deleted since is not held forever.
     */
    private void carryAssumed(ClusterSnapshot cluster, long listedAt, Set<String> boundIdentities) {
        Iterator<Assumed> entries = assumed.values().iterator();
        while (entries.hasNext()) {
            Assumed entry = entries.next();
            if (entry.boundAt() != IN_FLIGHT && entry.boundAt() < listedAt) {
                entries.remove();
            } else if (!boundIdentities.contains(entry.placed().identity())
                    && cluster.get(entry.placed().nodeName()) != null) {
                cluster.assume(entry.placed(), entry.placed().nodeName());
                placedHere.add(entry.placed().identity());
            }
        }
    }

    private static List<PodInfo> withRequiredAntiAffinity(List<ObjectNode> pending) {
        List<PodInfo> found = new ArrayList<>();
        for (ObjectNode pod : pending) {
            // Parsing only the few that have such terms: a snapshot may list thousands of waiting pods.
            if (!pod.at("/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution").isEmpty()) {
                found.add(PodInfo.of(pod));
            }
        }
        return List.copyOf(found);
    }

    private CompletableFuture<List<ObjectNode>> list(Supplier<List<ObjectNode>> call) {
        return CompletableFuture.supplyAsync(call, io);
    }

    private static List<ObjectNode> join(CompletableFuture<List<ObjectNode>> list) {
        try {
            return list.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
