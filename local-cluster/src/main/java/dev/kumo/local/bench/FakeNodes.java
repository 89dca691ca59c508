package dev.kumo.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Nodes without agents, as kube-scheduler's scheduler_perf "fake nodes": Node objects that say Ready and state
 * their capacity, and their Leases in {@code kube-node-lease} renewed here, so that node lifecycle sees them alive
 * (it would mark them unreachable and taint them 40 s after their last sign of life).
 */
final class FakeNodes implements AutoCloseable {
    /** The kubelet's renewal period (a quarter of the lease's 40 s). */
    private static final long RENEW_SECONDS = 10;
    /**
     * Renewals in flight at once: one after another, a sweep of 500 leases on a loaded API would take longer than
     * the grace period, and node lifecycle never marks a node Ready again (its kubelet would), so a late renewal
     * ruins the run.
     */
    private static final int RENEWERS = 8;
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BenchClient client;
    private final List<String> names = new ArrayList<>();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("lease-renewer").factory());
    private final ExecutorService renewals = Executors.newFixedThreadPool(RENEWERS,
            Thread.ofPlatform().daemon().name("lease-renewal-", 0).factory());
    private final AtomicInteger renewalFailures = new AtomicInteger();

    private FakeNodes(BenchClient client) {
        this.client = client;
    }

    /** Creates {@code count} Ready nodes of 32 cpu / 128Gi / 110 pods in three zones and starts their leases. */
    static FakeNodes create(BenchClient client, int count) throws Exception {
        FakeNodes nodes = new FakeNodes(client);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = String.format("node-%04d", i);
                nodes.names.add(name);
                int zone = i % 3;
                created.add(pool.submit(() -> {
                    BenchClient.expect(client.send("POST", "/api/v1/nodes", node(name, zone)), 201);
                    BenchClient.expect(client.send("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
                            lease(name)), 201);
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
        String patch = "{\"spec\":{\"renewTime\":\"" + MICRO_TIME.format(Instant.now()) + "\"}}";
        List<Future<?>> sweep = new ArrayList<>();
        for (String name : names) {
            sweep.add(renewals.submit(() -> renew(name, patch)));
        }
        try {
            for (Future<?> renewal : sweep) {
                renewal.get();
            }
        } catch (Exception e) {
            renewalFailures.incrementAndGet();
            System.err.println("kumo bench: renewing leases: " + e);
        }
    }

    private void renew(String name, String patch) {
        try {
            HttpResponse<String> response = client.send("PATCH",
                    "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + name, patch,
                    "application/merge-patch+json");
            if (response.statusCode() != 200) {
                renewalFailures.incrementAndGet();
                System.err.println("kumo bench: renewing lease " + name + ": " + response.statusCode() + " "
                        + response.body());
            }
        } catch (Exception e) {
            renewalFailures.incrementAndGet();
            System.err.println("kumo bench: renewing lease " + name + ": " + e);
        }
    }

    /** Nodes whose Ready condition is not True now (node lifecycle found them silent): the run is then void. */
    int notReady() throws Exception {
        JsonNode list = MAPPER.readTree(BenchClient.expect(client.send("GET", "/api/v1/nodes", null), 200).body());
        int count = 0;
        for (JsonNode node : list.path("items")) {
            boolean ready = false;
            for (JsonNode condition : node.path("status").path("conditions")) {
                ready |= condition.path("type").asText().equals("Ready")
                        && condition.path("status").asText().equals("True");
            }
            count += ready ? 0 : 1;
        }
        return count;
    }

    private static String node(String name, int zone) {
        String now = MICRO_TIME.format(Instant.now()).substring(0, 19) + "Z";
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

    private static String lease(String name) {
        return """
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"%1$s","namespace":"kube-node-lease"},
                 "spec":{"holderIdentity":"%1$s","leaseDurationSeconds":40,"renewTime":"%2$s"}}
                """.formatted(name, MICRO_TIME.format(Instant.now()));
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        renewals.shutdownNow();
    }
}
