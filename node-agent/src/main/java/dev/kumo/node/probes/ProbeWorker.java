package dev.kumo.node.probes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.node.pods.PodEvents;
import dev.kumo.node.pods.RuntimeContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One probe of one container, as the kubelet's {@code prober/worker.go}: every {@code periodSeconds} it looks at the
 * container as last synced and, when due, runs the probe and turns results into the container's probe result:
 *
 * <ul>
 *   <li>a new container (another id) starts from the type's initial result and resumes probing;</li>
 *   <li>a container that is not running counts as failing; probing ends once it will not run again
 *   (restartPolicy Never);</li>
 *   <li>liveness and startup probes end, successful, when the pod is being deleted;</li>
 *   <li>nothing runs before {@code initialDelaySeconds} have passed since the container started; a startup probe
 *   stops once the container has started, and the other probes wait for it;</li>
 *   <li>a result changes the container's only after {@code successThreshold} successes or
 *   {@code failureThreshold} failures in a row; a failed liveness or startup probe holds until the container is
 *   replaced (it will be killed);</li>
 *   <li>each failure is an {@code Unhealthy} warning event ("Readiness probe failed: ..."), each error
 *   ("... probe errored: ...") too, and an error's result is thrown away.</li>
 * </ul>
 * {@link #doProbe} is one step at the clock's time, so that tests drive it with a clock they move.
 */
final class ProbeWorker {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeWorker.class);

    private final ProbeType type;
    private final ProbeSpec spec;
    private final JsonNode container;
    private final String podKey;
    private final Supplier<PodSnapshot> snapshot;
    private final ProbeResults results;
    private final ProbeActions actions;
    private final PodEvents events;
    private final Clock clock;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private volatile boolean stopped;

    private String containerId = "";
    private ProbeResult lastResult = ProbeResult.UNKNOWN;
    private int resultRun;
    private boolean onHold;

    ProbeWorker(ProbeType type, ProbeSpec spec, JsonNode container, String podKey, Supplier<PodSnapshot> snapshot,
                ProbeResults results, ProbeActions actions, PodEvents events, Clock clock) {
        this.type = type;
        this.spec = spec;
        this.container = container;
        this.podKey = podKey;
        this.snapshot = snapshot;
        this.results = results;
        this.actions = actions;
        this.events = events;
        this.clock = clock;
    }

    ProbeType type() {
        return type;
    }

    /** Probes every period until told to stop or there is nothing left to probe; then forgets its result. */
    void run() {
        try {
            while (!stopped && doProbe()) {
                if (wake.poll(spec.period().toMillis(), TimeUnit.MILLISECONDS) != null) {
                    LOG.atDebug().addKeyValue("pod", podKey).addKeyValue("container", name())
                            .addKeyValue("probe", type).log("probe run on request");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!containerId.isEmpty()) {
                results.remove(containerId);
            }
        }
    }

    /** Runs the probe now instead of at the end of the period (a readiness probe with no result yet). */
    void trigger() {
        wake.offer(Boolean.TRUE);
    }

    void stop() {
        stopped = true;
        trigger();
    }

    /** One step (the kubelet's {@code doProbe}); false when the worker is done. */
    boolean doProbe() throws InterruptedException {
        PodSnapshot current = snapshot.get();
        if (current == null) {
            return true; // not synced yet
        }
        if (current.terminal()) {
            return false;
        }
        Optional<RuntimeContainer> found = current.container(name());
        if (found.isEmpty() || found.get().containerId().isEmpty()) {
            return true; // not created yet
        }
        RuntimeContainer status = found.get();
        if (!containerId.equals(status.containerId())) {
            if (!containerId.isEmpty()) {
                results.remove(containerId);
            }
            containerId = status.containerId();
            results.set(containerId, type.initial(), podKey);
            onHold = false; // a new container: probe it
        }
        if (onHold) {
            return true;
        }
        if (status.state() != RuntimeContainer.State.RUNNING) {
            results.set(containerId, ProbeResult.FAILURE, podKey);
            // done once the container will not run again
            return status.state() != RuntimeContainer.State.TERMINATED
                    || !"Never".equals(current.pod().path("spec").path("restartPolicy").asText("Always"));
        }
        if (current.beingDeleted() && type != ProbeType.READINESS) {
            results.set(containerId, ProbeResult.SUCCESS, podKey);
            return false;
        }
        if (status.startedAt() != null
                && Duration.between(status.startedAt(), clock.instant()).toSeconds() < spec.initialDelaySeconds()) {
            return true;
        }
        if (status.started()) {
            if (type == ProbeType.STARTUP) {
                return true; // started: the startup probe is done with this container
            }
        } else if (type != ProbeType.STARTUP) {
            return true; // the other probes wait for the startup probe
        }
        ProbeOutcome outcome = actions.run(spec.handler(), new ProbeTarget(current.pod(), container,
                current.podIp(), containerId), spec.timeout());
        if (outcome.result() == ProbeResult.UNKNOWN) {
            LOG.atWarn().addKeyValue("pod", podKey).addKeyValue("container", name()).addKeyValue("probe", type)
                    .log("probe errored: " + outcome.output());
            events.container(current.pod(), name(), PodEvents.WARNING, "Unhealthy",
                    type.word() + " probe errored: " + outcome.output());
            return true;
        }
        if (outcome.result() == ProbeResult.FAILURE) {
            LOG.atInfo().addKeyValue("pod", podKey).addKeyValue("container", name()).addKeyValue("probe", type)
                    .addKeyValue("output", outcome.output()).log("probe failed");
            events.container(current.pod(), name(), PodEvents.WARNING, "Unhealthy",
                    type.word() + " probe failed: " + outcome.output());
        }
        if (lastResult == outcome.result()) {
            resultRun++;
        } else {
            lastResult = outcome.result();
            resultRun = 1;
        }
        if (outcome.result() == ProbeResult.FAILURE && resultRun < spec.failureThreshold()
                || outcome.result() == ProbeResult.SUCCESS && resultRun < spec.successThreshold()) {
            return true; // below the threshold: the result stands
        }
        results.set(containerId, outcome.result(), podKey);
        if (type != ProbeType.READINESS && outcome.result() == ProbeResult.FAILURE) {
            // it will be killed: hold until a new container appears
            onHold = true;
            resultRun = 0;
        }
        return true;
    }

    private String name() {
        return container.path("name").asText();
    }
}
