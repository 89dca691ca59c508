package dev.kumo.node.heartbeat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.ApiTime;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.NodeSystemInfo;
import dev.kumo.node.join.NodeCredential;
import dev.kumo.node.join.NodeRegistration;
import dev.kumo.node.pods.RuntimeHealth;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.node.testing.NodeTestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The heartbeat's timing against the real API, with a clock the test moves. */
class HeartbeatTest {
    private static final NodeTestCluster CLUSTER = new NodeTestCluster();
    private static final AtomicInteger NODES = new AtomicInteger();

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    /** A node joined at the clock's time, as the agent joins: credential, Node, first lease renewal. */
    private static final class JoinedNode {
        final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        final String name = "hb-" + NODES.incrementAndGet();
        final NodeCredential credential;
        NodeLease lease;
        final NodeStatusReporter status;
        final Heartbeat heartbeat;
        final String uid;

        JoinedNode(Long credentialSeconds) {
            this(credentialSeconds, false);
        }

        /** @param leaseUnreachable the lease is renewed through an address nothing listens on */
        JoinedNode(Long credentialSeconds, boolean leaseUnreachable) {
            credential = new NodeCredential(CLUSTER.endpoint(), name, CLUSTER.bootstrapToken(), credentialSeconds,
                    clock, () -> 0);
            credential.obtain();
            KubeClient client = CLUSTER.endpoint().client(credential, "test");
            NodeConfig config = NodeConfig.of(name, "172.30.0.9", "10.244.9.0/24", NodeCapacity.of("2", "4Gi", "20Gi"));
            status = new NodeStatusReporter(client, name, new NodeStatusBuilder(config,
                    NodeSystemInfo.simulated(name, "simulated://0.1.0")), () -> RuntimeHealth.READY, clock,
                    Duration.ofMinutes(1));
            ObjectNode node = new NodeRegistration(client, config).register(status.initialStatus());
            uid = Meta.uid(node);
            status.registered(node);
            lease = new NodeLease(client, name, () -> uid, clock);
            lease.renew();
            if (leaseUnreachable) {
                lease = new NodeLease(ApiEndpoint.of(URI.create("http://127.0.0.1:1"), null).client(credential, "t"),
                        name, () -> uid, clock);
            }
            heartbeat = new Heartbeat(name, clock, () -> 0, credential, lease, status);
        }

        JsonNode storedLease() {
            return CLUSTER.admin().get(ResourceType.LEASES, "kube-node-lease", name).orElseThrow();
        }

        JsonNode storedReady() {
            return CLUSTER.admin().get(ResourceType.NODES, "", name).orElseThrow().path("status").path("conditions")
                    .get(3);
        }
    }

    @Test
    void theLeaseIsRenewedEveryTenSeconds() {
        JoinedNode node = new JoinedNode(null);
        Instant joined = node.clock.instant();
        JsonNode lease = node.storedLease();
        assertThat(lease.path("spec").path("holderIdentity").asText()).isEqualTo(node.name);
        assertThat(lease.path("spec").path("leaseDurationSeconds").asInt()).isEqualTo(40);
        assertThat(lease.path("spec").path("renewTime").asText()).isEqualTo(ApiTime.microTime(joined));
        assertThat(lease.path("metadata").path("ownerReferences").get(0).path("uid").asText()).isEqualTo(node.uid);
        assertThat(lease.path("metadata").path("ownerReferences").get(0).path("kind").asText()).isEqualTo("Node");

        assertThat(node.heartbeat.tick()).isEqualTo(Duration.ofSeconds(10));
        node.clock.advance(Duration.ofSeconds(6));
        assertThat(node.heartbeat.tick()).isEqualTo(Duration.ofSeconds(4));
        assertThat(node.storedLease().path("spec").path("renewTime").asText()).isEqualTo(ApiTime.microTime(joined));

        node.clock.advance(Duration.ofSeconds(4));
        node.heartbeat.tick();
        assertThat(node.storedLease().path("spec").path("renewTime").asText())
                .isEqualTo(ApiTime.microTime(joined.plusSeconds(10)));
        node.clock.advance(Duration.ofSeconds(10));
        node.heartbeat.tick();
        assertThat(node.storedLease().path("spec").path("renewTime").asText())
                .isEqualTo(ApiTime.microTime(joined.plusSeconds(20)));
    }

    @Test
    void aLeaseSomeoneDeletedIsCreatedAgainAtTheNextRenewal() {
        JoinedNode node = new JoinedNode(null);
        CLUSTER.admin().delete(ResourceType.LEASES, "kube-node-lease", node.name, null, null);

        node.clock.advance(Duration.ofSeconds(10));
        node.heartbeat.tick();

        assertThat(node.storedLease().path("spec").path("renewTime").asText())
                .isEqualTo(ApiTime.microTime(node.clock.instant()));
    }

    @Test
    void aConditionAControllerOwnsSurvivesTheStatusPostsAndIsNoChangeOfTheirs() {
        JoinedNode node = new JoinedNode(null);
        Instant joined = node.clock.instant();
        ObjectNode patch = CLUSTER.admin().mapper().createObjectNode();
        patch.putObject("status").putArray("conditions").addObject().put("type", "NetworkUnavailable")
                .put("status", "False").put("reason", "RouteCreated").put("message", "RouteController created a route")
                .put("lastTransitionTime", ApiTime.time(joined)).put("lastHeartbeatTime", ApiTime.time(joined));
        CLUSTER.admin().strategicMergePatch(ResourceType.NODES, "", node.name, "status", patch);
        for (int i = 0; i < 5; i++) {
            node.clock.advance(Duration.ofSeconds(10));
            node.heartbeat.tick();
        }
        assertThat(node.storedReady().path("lastHeartbeatTime").asText()).as("50 s: no post yet")
                .isEqualTo(ApiTime.time(joined));

        node.clock.advance(Duration.ofSeconds(10));
        node.heartbeat.tick();

        JsonNode conditions = CLUSTER.admin().get(ResourceType.NODES, "", node.name).orElseThrow().path("status")
                .path("conditions");
        assertThat(node.storedReady().path("lastHeartbeatTime").asText()).isEqualTo(ApiTime.time(joined.plusSeconds(60)));
        assertThat(conditions.toString()).contains("\"type\":\"NetworkUnavailable\"").contains("RouteCreated");
        assertThat(conditions).hasSize(5);
    }

    @Test
    void theStatusIsPostedAtLeastEveryMinuteWhenNothingChanges() {
        JoinedNode node = new JoinedNode(null);
        Instant joined = node.clock.instant();
        for (int i = 0; i < 5; i++) {
            node.clock.advance(Duration.ofSeconds(10));
            node.heartbeat.tick();
        }
        assertThat(node.storedReady().path("lastHeartbeatTime").asText()).as("50 s: not yet")
                .isEqualTo(ApiTime.time(joined));

        node.clock.advance(Duration.ofSeconds(10));
        node.heartbeat.tick();
        assertThat(node.storedReady().path("lastHeartbeatTime").asText()).isEqualTo(ApiTime.time(joined.plusSeconds(60)));
        assertThat(node.storedReady().path("lastTransitionTime").asText()).isEqualTo(ApiTime.time(joined));
    }

    @Test
    void aStatusThatDidNotChangeIsNotPostedAgainWithinTheMinute() {
        JoinedNode node = new JoinedNode(null);
        node.clock.advance(Duration.ofSeconds(3));
        assertThat(node.status.sync()).isFalse();
        node.clock.advance(Duration.ofSeconds(57));
        assertThat(node.status.sync()).isTrue();
        node.clock.advance(Duration.ofSeconds(10));
        assertThat(node.status.sync()).as("the posted status is the new reference").isFalse();
    }

    @Test
    void afterAMissedHeartbeatTheStatusIsComparedWithTheStoredNode() {
        JoinedNode node = new JoinedNode(null, true);
        // The node lifecycle controller marks the silent node, as it does after the lease's 40 s.
        ObjectNode unknown = CLUSTER.admin().mapper().createObjectNode();
        unknown.putObject("status").putArray("conditions").addObject().put("type", "Ready").put("status", "Unknown")
                .put("reason", "NodeStatusUnknown").put("message", "Kubelet stopped posting node status.");
        CLUSTER.admin().mergePatch(ResourceType.NODES, "", node.name, "status", unknown);

        node.clock.advance(Duration.ofSeconds(10));
        node.heartbeat.tick(); // the lease fails, the status check (due too) reads the Node and puts Ready back

        assertThat(node.storedReady().path("status").asText()).isEqualTo("True");
        assertThat(node.storedReady().path("lastTransitionTime").asText())
                .isEqualTo(ApiTime.time(node.clock.instant()));
    }

    @Test
    void theCredentialIsRenewedAtSeventyToNinetyPercentOfItsLifetime() {
        JoinedNode node = new JoinedNode(600L);
        Instant joined = node.clock.instant();
        String first = node.credential.get();
        assertThat(node.credential.renewAt()).as("70 % with no jitter")
                .isBetween(joined.plusSeconds(419), joined.plusSeconds(421));

        node.clock.advance(Duration.ofSeconds(400));
        node.heartbeat.tick();
        assertThat(node.credential.get()).isEqualTo(first);

        node.clock.advance(Duration.ofSeconds(21));
        node.heartbeat.tick();
        assertThat(node.credential.get()).isNotEqualTo(first);
        assertThat(node.credential.renewAt()).isAfter(node.clock.instant());
        assertThat(node.storedLease().path("spec").path("renewTime").asText())
                .as("the renewed credential works").isEqualTo(ApiTime.microTime(node.clock.instant()));
    }
}
