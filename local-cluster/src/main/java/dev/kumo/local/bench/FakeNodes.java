package dev.kumo.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.node.ApiTime;
import dev.kumo.node.heartbeat.NodeLease;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Nodes without agents, as kube-scheduler's scheduler_perf "fake nodes": Node objects that say Ready and state
 * their capacity, and their Leases in {@code kube-node-lease} renewed here by the node agent's own
 * {@link NodeLease}, so that node lifecycle sees them alive (it would mark them unreachable and taint them 40 s
 * after their last sign of life). Like a kubelet's status sync, each renewal sweep also sets a node that node
 * lifecycle marked not Ready (a renewal late on a saturated machine) Ready again; how many were marked is counted.
 */
final class FakeNodes implements AutoCloseable {
    /** The kubelet's renewal period (a quarter of the lease's 40 s). */
    private static final long RENEW_SECONDS = 10;
    /**
     * Renewals in flight at once, at least this many and one per {@value #LEASES_PER_RENEWER} nodes: a sweep must
     * end well inside the renewal period even when each call takes 0.3-0.5 s on a saturated machine (with 8 for 500
     * nodes a sweep took over 20 s and 207 nodes went NotReady in pods-5000).
     */
    private static final int MIN_RENEWERS = 8;
    private static final int LEASES_PER_RENEWER = 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BenchClient client;
    private final Map<String, NodeLease> leases = new LinkedHashMap<>();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("lease-renewer").factory());
    private final ExecutorService renewals;
    private final AtomicInteger renewalFailures = new AtomicInteger();
    private volatile boolean closed;
    /** Nodes node lifecycle marked not Ready at some point of the run (each set Ready again by the next sweep). */
    private final Set<String> markedNotReady = ConcurrentHashMap.newKeySet();

    private FakeNodes(BenchClient client, int count) {
        this.client = client;
        this.renewals = Executors.newFixedThreadPool(renewers(count),
                Thread.ofPlatform().daemon().name("lease-renewal-", 0).factory());
    }

    static int renewers(int nodes) {
        return Math.max(MIN_RENEWERS, (nodes + LEASES_PER_RENEWER - 1) / LEASES_PER_RENEWER);
    }

    /** Creates {@code count} Ready nodes of 32 cpu / 128Gi / 110 pods in three zones and starts their leases. */
    static FakeNodes create(BenchClient client, int count) throws Exception {
        FakeNodes nodes = new FakeNodes(client, count);
        KubeClient api = client.kubeClient();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = String.format("node-%04d", i);
                NodeLease lease = new NodeLease(api, name, () -> "", Clock.systemUTC());
                nodes.leases.put(name, lease);
                int zone = i % 3;
                created.add(pool.submit(() -> {
                    BenchClient.expect(client.send("POST", "/api/v1/nodes", node(name, zone)), 201);
                    lease.renew(); // creates it
                    return null;
                }));
            }
            for (Future<?> future : created) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        nodes.renewer.scheduleAtFixedRate(nodes::renewAll, RENEW_SECONDS, RENEW_SECONDS, TimeUnit.SECONDS);
        return nodes;
    }

    int renewalFailures() {
        return renewalFailures.get();
    }

    private void renewAll() {
        List<Future<?>> sweep = new ArrayList<>();
        leases.forEach((name, lease) -> sweep.add(renewals.submit(() -> renew(name, lease))));
        try {
            for (Future<?> renewal : sweep) {
                renewal.get();
            }
            readyAgain();
        } catch (Exception e) {
            if (closed) {
                return; // the sweep in flight when the run ended
            }
            renewalFailures.incrementAndGet();
            System.err.println("kumo bench: renewing leases: " + e);
        }
    }

    /**
     * What a kubelet does within its 10 s status sync when the Node's Ready condition is not what it reports: posts
     * Ready again (node lifecycle then lifts its taints).
     */
    private void readyAgain() throws Exception {
        for (String name : notReadyNames()) {
            markedNotReady.add(name);
            String now = ApiTime.time(Instant.now());
            BenchClient.expect(client.send("PATCH", "/api/v1/nodes/" + name + "/status", """
                    {"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady",
                     "message":"kubelet is posting ready status","lastHeartbeatTime":"%1$s",
                     "lastTransitionTime":"%1$s"}]}}
                    """.formatted(now), "application/merge-patch+json"), 200);
        }
    }

    /** How many nodes node lifecycle marked not Ready during the run (late renewals). */
    int markedNotReady() {
        return markedNotReady.size();
    }

    private void renew(String name, NodeLease lease) {
        try {
            lease.renew();
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            renewalFailures.incrementAndGet();
            System.err.println("kumo bench: renewing lease " + name + ": " + e);
        }
    }

    /** Nodes whose Ready condition is not True now (node lifecycle found them silent). */
    int notReady() throws Exception {
        return notReadyNames().size();
    }

    private List<String> notReadyNames() throws Exception {
        JsonNode list = MAPPER.readTree(BenchClient.expect(client.send("GET", "/api/v1/nodes", null), 200).body());
        List<String> names = new ArrayList<>();
        for (JsonNode node : list.path("items")) {
            boolean ready = false;
            for (JsonNode condition : node.path("status").path("conditions")) {
                ready |= condition.path("type").asText().equals("Ready")
                        && condition.path("status").asText().equals("True");
            }
            if (!ready) {
                names.add(node.path("metadata").path("name").asText());
            }
        }
        return names;
    }

    private static String node(String name, int zone) {
        String now = ApiTime.time(Instant.now());
        return """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%1$s","labels":{"kubernetes.io/hostname":"%1$s",
                 "kubernetes.io/os":"linux","topology.kubernetes.io/zone":"zone-%2$d"}},
                 "spec":{},
                 "status":{"capacity":{"cpu":"32","memory":"128Gi","pods":"110","ephemeral-storage":"100Gi"},
                  "allocatable":{"cpu":"32","memory":"128Gi","pods":"110","ephemeral-storage":"100Gi"},
                  "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady",
                   "message":"kubelet is posting ready status","lastHeartbeatTime":"%3$s","lastTransitionTime":"%3$s"}]}}
                """.formatted(name, zone, now);
    }

    @Override
    public void close() {
        closed = true;
        renewer.shutdownNow();
        renewals.shutdownNow();
    }
}
