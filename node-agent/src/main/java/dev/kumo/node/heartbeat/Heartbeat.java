package dev.kumo.node.heartbeat;

import dev.kumo.node.join.NodeCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The node's periodic work, driven by a clock: the lease renewed every 10 s (a quarter of its 40 s duration, with
 * the kubelet's 4 % jitter), the status checked every 10 s (and posted when changed or a minute old), the
 * credential renewed when due. {@link #tick()} does what is due and says how long until something is due again;
 * a failed step is retried with back-off (0.2 s doubling to 7 s, the lease controller's) instead of waiting a
 * whole period, so that one lost request does not cost a heartbeat.
 */
public final class Heartbeat {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
    public static final Duration LEASE_RENEW_INTERVAL = Duration.ofSeconds(10);
    public static final Duration STATUS_UPDATE_FREQUENCY = Duration.ofSeconds(10);
    private static final double JITTER = 0.04;
    private static final Duration INITIAL_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(7);

    private final String nodeName;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Step credential;
    private final Step lease;
    private final Step status;

    public Heartbeat(String nodeName, Clock clock, DoubleSupplier random, NodeCredential credential, NodeLease lease,
                     NodeStatusReporter status) {
        this.nodeName = nodeName;
        this.clock = clock;
        this.random = random;
        Instant now = clock.instant();
        this.credential = new Step("credential", credential::renew, credential.renewAt(), credential::renewAt,
                () -> { });
        this.lease = new Step("lease", lease::renew, now.plus(jittered(LEASE_RENEW_INTERVAL)),
                () -> clock.instant().plus(jittered(LEASE_RENEW_INTERVAL)), status::rereadBeforeNextSync);
        this.status = new Step("status", status::sync, now.plus(STATUS_UPDATE_FREQUENCY),
                () -> clock.instant().plus(STATUS_UPDATE_FREQUENCY), () -> { });
    }

    /** Runs every step that is due at the clock's time; returns the time until the next one is. */
    public Duration tick() {
        credential.runIfDue();
        lease.runIfDue();
        status.runIfDue();
        Instant next = min(credential.due, min(lease.due, status.due));
        Duration wait = Duration.between(clock.instant(), next);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private Duration jittered(Duration period) {
        return Duration.ofNanos((long) (period.toNanos() * (1 + JITTER * random.getAsDouble())));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** One periodic step: when it is due, what it does, when it is due again after a success, and its back-off. */
    private final class Step {
        private final String name;
        private final Runnable action;
        private final Supplier<Instant> next;
        private final Runnable onFailure;
        private Instant due;
        private Duration backoff = INITIAL_BACKOFF;

        Step(String name, Runnable action, Instant firstDue, Supplier<Instant> next, Runnable onFailure) {
            this.name = name;
            this.action = action;
            this.due = firstDue;
            this.next = next;
            this.onFailure = onFailure;
        }

        void runIfDue() {
            if (clock.instant().isBefore(due)) {
                return;
            }
            try {
                action.run();
                backoff = INITIAL_BACKOFF;
                due = next.get();
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // the agent is stopping: the request was cut short, not refused
                }
                LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("step", name)
                        .addKeyValue("retryInMillis", backoff.toMillis()).log("heartbeat step failed: " + e.getMessage());
                due = clock.instant().plus(backoff);
                onFailure.run();
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
