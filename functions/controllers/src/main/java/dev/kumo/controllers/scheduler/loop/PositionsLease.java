package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordination Lease {@code kube-system/kube-scheduler-positions}: whoever holds it is the one scheduler placing
 * pods whose placement depends on other pods' positions ({@link PodPositions}), as kube-scheduler's leader election
 * makes one scheduler active. The record and the rules are client-go leaderelection's ({@code tryAcquireOrRenew},
 * {@code release}): holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions; every write is an
 * update conditional on the resourceVersion read (or a create), so of two contenders one wins and the other gets a
 * 409; a lease whose holder did not renew it within leaseDurationSeconds is taken over; a released lease (empty
 * holder) is taken at once.
 *
 * <p>One deviation: client-go judges expiry by when this process last saw the record change (its own clock), which
 * makes a fresh process wait a whole lease duration; a Lambda invocation is always fresh, so expiry is judged by the
 * record's renewTime against this clock (the writers' clocks are NTP-synchronised in AWS, and one clock locally).
 */
final class PositionsLease {
    private static final Logger LOG = LoggerFactory.getLogger(PositionsLease.class);
    static final String NAMESPACE = "kube-system";
    static final String NAME = "kube-scheduler-positions";
    /**
     * kube-scheduler's default {@code --leader-elect-lease-duration}: a holder that crashed (an invocation killed at
     * its timeout) keeps the others from position-dependent pods at most this long; holders release it at the end of
     * every call, so the duration only matters then. It must outlast one hold's binding round, which is renewed before
     * it starts (a few seconds at most).
     */
    static final Duration LEASE_DURATION = Duration.ofSeconds(15);
    /**
     * Between two attempts of a waiting contender, plus up to half as much jitter (client-go's RetryPeriod is 2 s; a
     * hold here lasts one list and a few bindings, and each attempt is a GET).
     */
    static final Duration RETRY_PERIOD = Duration.ofMillis(100);
    /** MicroTime as the API writes it. */
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private final KubeClient client;
    private final Clock clock;
    private final String processIdentity;
    private final AtomicLong holds = new AtomicLong();

    PositionsLease(KubeClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.processIdentity = hostname() + "_" + UUID.randomUUID();
    }

    /**
     * Tries to take the lease until {@code wait} has passed (real time), every {@link #RETRY_PERIOD} with jitter.
     * Each call is its own contender (calls of one process may overlap).
     */
    Optional<Hold> acquire(Duration wait) throws InterruptedException {
        String identity = processIdentity + "-" + holds.incrementAndGet();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<Hold> hold = tryAcquire(identity);
            if (hold.isPresent() || System.nanoTime() >= deadline) {
                return hold;
            }
            long jitter = ThreadLocalRandom.current().nextLong(RETRY_PERIOD.toMillis() / 2 + 1);
            Thread.sleep(RETRY_PERIOD.toMillis() + jitter);
        }
    }

    /** client-go's {@code tryAcquireOrRenew} for a contender that does not hold the lease: one attempt. */
    Optional<Hold> tryAcquire(String identity) {
        Instant now = clock.instant();
        Optional<ObjectNode> found = client.get(ResourceType.LEASES, NAMESPACE, NAME);
        try {
            if (found.isEmpty()) {
                ObjectNode lease = client.mapper().createObjectNode()
                        .put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
                lease.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE);
                fill(lease.putObject("spec"), identity, now, now, 0);
                return Optional.of(held(client.create(ResourceType.LEASES, NAMESPACE, lease), identity));
            }
            ObjectNode lease = found.get();
            JsonNode spec = lease.path("spec");
            String holder = spec.path("holderIdentity").asText("");
            if (!holder.isEmpty() && isValid(spec, now)) {
                LOG.atDebug().setMessage("lease held by another").addKeyValue("lease", NAMESPACE + "/" + NAME)
                        .addKeyValue("holder", holder).log();
                return Optional.empty();
            }
            ObjectNode taken = lease.deepCopy();
            int transitions = spec.path("leaseTransitions").asInt(0) + 1;
            fill(spec(taken), identity, now, now, transitions);
            ObjectNode updated = client.update(ResourceType.LEASES, taken);
            if (!holder.isEmpty()) {
                LOG.atInfo().setMessage("took over an expired lease").addKeyValue("lease", NAMESPACE + "/" + NAME)
                        .addKeyValue("previousHolder", holder).addKeyValue("holder", identity).log();
            }
            return Optional.of(held(updated, identity));
        } catch (ApiError e) {
            if (e.isConflict()) {
                return Optional.empty(); // another contender wrote first (created it, or updated what we read)
            }
            throw e;
        }
    }

    private Hold held(ObjectNode lease, String identity) {
        LOG.atDebug().setMessage("acquired lease").addKeyValue("lease", NAMESPACE + "/" + NAME)
                .addKeyValue("holder", identity).log();
        return new Hold(lease, identity);
    }

    /** Whether the holder renewed it less than leaseDurationSeconds ago (an unreadable renewTime is expired). */
    private static boolean isValid(JsonNode spec, Instant now) {
        Optional<Instant> renewed = parse(spec.path("renewTime"));
        long seconds = spec.path("leaseDurationSeconds").asLong(0);
        return renewed.isPresent() && renewed.get().plusSeconds(seconds).isAfter(now);
    }

    private static void fill(ObjectNode spec, String identity, Instant acquired, Instant renewed, int transitions) {
        spec.put("holderIdentity", identity).put("leaseDurationSeconds", LEASE_DURATION.toSeconds())
                .put("acquireTime", MICRO_TIME.format(acquired)).put("renewTime", MICRO_TIME.format(renewed))
                .put("leaseTransitions", transitions);
    }

    private static ObjectNode spec(ObjectNode lease) {
        return lease.has("spec") ? (ObjectNode) lease.get("spec") : lease.putObject("spec");
    }

    private static Optional<Instant> parse(JsonNode time) {
        if (!time.isTextual() || time.asText().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(time.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty(); // the API validates times; an unparsable one counts as absent
        }
    }

    private static String hostname() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = System.getenv().getOrDefault("AWS_LAMBDA_LOG_STREAM_NAME", "scheduler");
        }
        return host;
    }

    /** The lease while this contender holds it: renew before acting on it, release when done. Not thread-safe. */
    final class Hold {
        private final String identity;
        private ObjectNode latest;
        private boolean ended;

        private Hold(ObjectNode latest, String identity) {
            this.latest = latest;
            this.identity = identity;
        }

        String identity() {
            return identity;
        }

        /**
         * client-go's {@code tryAcquireOrRenew} for the holder: renewTime now, acquireTime and leaseTransitions kept,
         * conditional on the version last written. False when the lease was taken over meanwhile (this hold
         * outlived its duration): the caller must not act on it any more.
         */
        boolean renew() {
            if (ended) {
                return false;
            }
            ObjectNode renewed = latest.deepCopy();
            spec(renewed).put("renewTime", MICRO_TIME.format(clock.instant()));
            try {
                latest = client.update(ResourceType.LEASES, renewed);
                return true;
            } catch (ApiError e) {
                if (!e.isConflict() && !e.isNotFound()) {
                    throw e;
                }
                ended = true;
                LOG.atWarn().setMessage("lost the lease").addKeyValue("lease", NAMESPACE + "/" + NAME)
                        .addKeyValue("holder", identity).addKeyValue("reason", e.getMessage()).log();
                return false;
            }
        }

        /**
         * client-go's {@code release}: holderIdentity empty, leaseDurationSeconds 1, acquireTime and renewTime now,
         * leaseTransitions kept, so that the next contender takes it at once. A lease taken over meanwhile is left to
         * its new holder.
         */
        void release() {
            if (ended) {
                return;
            }
            ObjectNode released = latest.deepCopy();
            Instant now = clock.instant();
            spec(released).put("holderIdentity", "").put("leaseDurationSeconds", 1)
                    .put("acquireTime", MICRO_TIME.format(now)).put("renewTime", MICRO_TIME.format(now));
            try {
                latest = client.update(ResourceType.LEASES, released);
                ended = true;
            } catch (ApiError e) {
                if (!e.isConflict() && !e.isNotFound()) {
                    throw e;
                }
                ended = true;
                LOG.atWarn().setMessage("lease taken over before its release").addKeyValue("lease",
                        NAMESPACE + "/" + NAME).addKeyValue("holder", identity).log();
            }
        }
    }
}
