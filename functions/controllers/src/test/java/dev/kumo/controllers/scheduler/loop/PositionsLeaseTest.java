package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lease of the one scheduler placing position-dependent pods, against the real API server under the
 * scheduler's own identity (so its RBAC must allow it), with a clock the test moves: client-go leaderelection's
 * acquire, renew, expiry, take-over and release.
 */
class PositionsLeaseTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final Instant START = Instant.parse("2026-11-24T06:00:00Z");
    private final MutableClock clock = new MutableClock(START);
    private final PositionsLease lease = new PositionsLease(CLUSTER.scheduler(), clock);

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @BeforeEach
    void noLeaseYet() {
        CLUSTER.admin().delete(ResourceType.LEASES, PositionsLease.NAMESPACE, PositionsLease.NAME,
                CLUSTER.admin().mapper().createObjectNode());
    }

    @Test
    void theFirstContenderCreatesTheLeaseAndTheNextGetsItOnlyOnceReleased() {
        PositionsLease.Hold a = lease.tryAcquire("a").orElseThrow();
        JsonNode spec = stored().path("spec");
        assertThat(spec.path("holderIdentity").asText()).isEqualTo("a");
        assertThat(spec.path("leaseDurationSeconds").asInt()).isEqualTo(15);
        assertThat(spec.path("leaseTransitions").asInt()).isZero();
        assertThat(time(spec, "acquireTime")).isEqualTo(START);
        assertThat(time(spec, "renewTime")).isEqualTo(START);

        clock.advance(Duration.ofSeconds(3));
        assertThat(lease.tryAcquire("b")).isEmpty();

        a.release();
        spec = stored().path("spec");
        assertThat(spec.path("holderIdentity").asText()).isEmpty();
        assertThat(spec.path("leaseDurationSeconds").asInt()).isEqualTo(1);
        assertThat(spec.path("leaseTransitions").asInt()).isZero();
        assertThat(time(spec, "renewTime")).isEqualTo(START.plusSeconds(3));

        PositionsLease.Hold b = lease.tryAcquire("b").orElseThrow(); // at once: the same instant as the release
        spec = stored().path("spec");
        assertThat(spec.path("holderIdentity").asText()).isEqualTo("b");
        assertThat(spec.path("leaseDurationSeconds").asInt()).isEqualTo(15);
        assertThat(spec.path("leaseTransitions").asInt()).isEqualTo(1);
        assertThat(time(spec, "acquireTime")).isEqualTo(START.plusSeconds(3));
        assertThat(b.identity()).isEqualTo("b");
    }

    @Test
    void aRenewedLeaseHoldsForItsDurationFromTheRenewalThenAnotherTakesItOver() {
        PositionsLease.Hold a = lease.tryAcquire("a").orElseThrow();
        clock.advance(Duration.ofSeconds(10));
        assertThat(a.renew()).isTrue();
        JsonNode spec = stored().path("spec");
        assertThat(time(spec, "renewTime")).isEqualTo(START.plusSeconds(10));
        assertThat(time(spec, "acquireTime")).isEqualTo(START);
        assertThat(spec.path("leaseTransitions").asInt()).isZero();

        clock.advance(Duration.ofSeconds(14)); // 24 s after the acquisition, 14 after the renewal
        assertThat(lease.tryAcquire("b")).isEmpty();

        clock.advance(Duration.ofSeconds(2)); // the holder crashed: 16 s without a renewal
        PositionsLease.Hold b = lease.tryAcquire("b").orElseThrow();
        spec = stored().path("spec");
        assertThat(spec.path("holderIdentity").asText()).isEqualTo("b");
        assertThat(spec.path("leaseTransitions").asInt()).isEqualTo(1);
        assertThat(time(spec, "acquireTime")).isEqualTo(START.plusSeconds(26));

        assertThat(a.renew()).as("the old holder learns it lost the lease").isFalse();
        a.release(); // leaves the new holder's lease alone
        assertThat(stored().path("spec").path("holderIdentity").asText()).isEqualTo("b");
        assertThat(b.renew()).isTrue();
    }

    @Test
    void ofContendersAtTheSameMomentExactlyOneGetsTheLease() throws Exception {
        assertThat(exactlyOneOf(8)).as("creating it").isEqualTo(1);
        clock.advance(Duration.ofSeconds(16));
        assertThat(exactlyOneOf(8)).as("taking an expired one over").isEqualTo(1);
    }

    @Test
    void theSchedulerMayNotWriteOtherLeasesOfKubeSystem() {
        KubeClient admin = CLUSTER.admin();
        ObjectNode other = admin.mapper().createObjectNode().put("apiVersion", "coordination.k8s.io/v1")
                .put("kind", "Lease");
        other.putObject("metadata").put("name", "kube-controller-manager").put("namespace", "kube-system");
        other.putObject("spec").put("holderIdentity", "kcm");
        ObjectNode created = admin.create(ResourceType.LEASES, "kube-system", other);
        ((ObjectNode) created.get("spec")).put("holderIdentity", "scheduler");

        assertThatThrownBy(() -> CLUSTER.scheduler().update(ResourceType.LEASES, created))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(403));
    }

    private int exactlyOneOf(int contenders) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(contenders);
        List<Future<Optional<PositionsLease.Hold>>> attempts = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            String identity = "contender-" + i;
            Callable<Optional<PositionsLease.Hold>> attempt = () -> {
                go.await();
                return lease.tryAcquire(identity);
            };
            attempts.add(threads.submit(attempt));
        }
        go.countDown();
        int holders = 0;
        String holder = null;
        for (Future<Optional<PositionsLease.Hold>> attempt : attempts) {
            Optional<PositionsLease.Hold> hold = attempt.get(1, TimeUnit.MINUTES);
            if (hold.isPresent()) {
                holders++;
                holder = hold.get().identity();
            }
        }
        threads.shutdown();
        assertThat(stored().path("spec").path("holderIdentity").asText()).isEqualTo(holder);
        return holders;
    }

    private static ObjectNode stored() {
        return CLUSTER.admin().get(ResourceType.LEASES, PositionsLease.NAMESPACE, PositionsLease.NAME).orElseThrow();
    }

    private static Instant time(JsonNode spec, String field) {
        return OffsetDateTime.parse(spec.path(field).asText()).toInstant();
    }
}
