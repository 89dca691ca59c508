package dev.kumo.node.probes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.pods.PodEvents;
import dev.kumo.node.pods.RuntimeContainer;
import dev.kumo.node.pods.RuntimePod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The node's probes (the kubelet's {@code prober.Manager}): a worker per probe of each container of the pods it is
 * told about, each on a virtual thread that sleeps between probes, their results per container id, and from them
 * the containers' {@code started} and {@code ready} flags ({@code UpdatePodStatus}) and the containers to kill for
 * a failed liveness or startup probe. A result that changes calls {@code changed} with the pod's
 * {@code namespace/name}, so that the pod is synced again and its status (and so the Endpoints) follows within a
 * period.
 */
public final class ProbeManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeManager.class);

    /** A container to kill: its name, the Killing event's message, and the grace period a probe gives it (or null). */
    public record Unhealthy(String container, String message, Long probeGracePeriodSeconds) {
    }

    private final ProbeActions actions;
    private final PodEvents events;
    private final Clock clock;
    private final Map<ProbeType, ProbeResults> results = new ConcurrentHashMap<>();
    private final Map<String, PodProbes> pods = new ConcurrentHashMap<>();

    private static final class PodProbes {
        volatile PodSnapshot snapshot;
        final Map<String, ProbeWorker> workers = new ConcurrentHashMap<>();
    }

    public ProbeManager(ProbeActions actions, PodEvents events, Clock clock, Consumer<String> changed) {
        this.actions = actions;
        this.events = events;
        this.clock = clock;
        for (ProbeType type : ProbeType.values()) {
            results.put(type, new ProbeResults(changed));
        }
    }

    /**
     * The pod's containers with {@code started} and {@code ready} as the probes say (containers without a probe
     * keep the runtime's: started and ready while running); starts the workers of probes not yet running.
     */
    public RuntimePod update(ObjectNode pod, RuntimePod state) {
        PodProbes probes = pods.computeIfAbsent(Meta.uid(pod), uid -> new PodProbes());
        List<RuntimeContainer> containers = new ArrayList<>();
        for (RuntimeContainer container : state.containers()) {
            containers.add(withProbes(probes, containerSpec(pod, container.name()), container));
        }
        RuntimePod updated = new RuntimePod(state.sandboxReady(), state.ips(), state.initContainers(), containers);
        probes.snapshot = new PodSnapshot(pod, updated);
        startWorkers(pod, probes);
        return updated;
    }

    /** The kubelet's rule: a probe that has no result yet counts as absent only when the container has none. */
    private RuntimeContainer withProbes(PodProbes probes, JsonNode spec, RuntimeContainer container) {
        if (container.state() != RuntimeContainer.State.RUNNING) {
            return container;
        }
        String id = container.containerId();
        boolean started = results.get(ProbeType.STARTUP).get(id).map(r -> r == ProbeResult.SUCCESS)
                .orElse(!spec.path(ProbeType.STARTUP.field()).isObject());
        boolean ready = false;
        if (started) {
            Optional<ProbeResult> readiness = results.get(ProbeType.READINESS).get(id);
            ready = readiness.map(r -> r == ProbeResult.SUCCESS)
                    .orElse(!spec.path(ProbeType.READINESS.field()).isObject());
            ProbeWorker worker = probes.workers.get(key(ProbeType.READINESS, container.name()));
            if (readiness.isEmpty() && worker != null) {
                worker.trigger(); // a readiness probe that has not run for this container: run it now
            }
        }
        return container.withProbeResults(ready, started);
    }

    private void startWorkers(ObjectNode pod, PodProbes probes) {
        if (Meta.isBeingDeleted(pod)) {
            return;
        }
        String podKey = Meta.namespace(pod) + "/" + Meta.name(pod);
        for (JsonNode container : pod.path("spec").path("containers")) {
            for (ProbeType type : ProbeType.values()) {
                JsonNode probe = container.path(type.field());
                if (!probe.isObject()) {
                    continue;
                }
                probes.workers.computeIfAbsent(key(type, container.path("name").asText()), key -> {
                    ProbeWorker worker = new ProbeWorker(type, ProbeSpec.of(probe), container, podKey,
                            () -> probes.snapshot, results.get(type), actions, events, clock);
                    Thread.ofVirtual().name("probe-" + podKey + "-" + key).start(() -> {
                        worker.run();
                        probes.workers.remove(key, worker);
                    });
                    LOG.atDebug().addKeyValue("pod", podKey).addKeyValue("probe", key).log("started probe worker");
                    return worker;
                });
            }
        }
    }

    /**
     * The running containers whose liveness or startup probe failed (the kubelet's {@code computePodActions}):
     * they are to be killed, and restarted unless the pod's restartPolicy is Never.
     */
    public List<Unhealthy> unhealthy(ObjectNode pod, RuntimePod state) {
        List<Unhealthy> unhealthy = new ArrayList<>();
        boolean restart = !"Never".equals(pod.path("spec").path("restartPolicy").asText("Always"));
        for (RuntimeContainer container : state.containers()) {
            if (container.state() != RuntimeContainer.State.RUNNING) {
                continue;
            }
            for (ProbeType type : List.of(ProbeType.LIVENESS, ProbeType.STARTUP)) {
                if (results.get(type).get(container.containerId()).orElse(null) == ProbeResult.FAILURE) {
                    JsonNode spec = containerSpec(pod, container.name()).path(type.field());
                    JsonNode grace = spec.path("terminationGracePeriodSeconds");
                    unhealthy.add(new Unhealthy(container.name(), "Container " + container.name() + " failed "
                            + type.word().toLowerCase() + " probe" + (restart ? ", will be restarted" : ""),
                            grace.isNumber() ? grace.asLong() : null));
                    break;
                }
            }
        }
        return unhealthy;
    }

    private static JsonNode containerSpec(ObjectNode pod, String name) {
        for (JsonNode container : pod.path("spec").path("containers")) {
            if (name.equals(container.path("name").asText())) {
                return container;
            }
        }
        return pod.missingNode();
    }

    /** Stops the pod's workers (it is being stopped or gone); their results go with them. */
    public void remove(String podUid) {
        PodProbes probes = pods.remove(podUid);
        if (probes != null) {
            probes.workers.values().forEach(ProbeWorker::stop);
        }
    }

    /** Whether a pod has probe workers (for tests and logs). */
    int workers(String podUid) {
        PodProbes probes = pods.get(podUid);
        return probes == null ? 0 : probes.workers.size();
    }

    @Override
    public void close() {
        List.copyOf(pods.keySet()).forEach(this::remove);
    }

    private static String key(ProbeType type, String container) {
        return type.name().toLowerCase() + "/" + container;
    }

    /** How long the kubelet's liveness kill gives the container: the probe's grace period, else {@code podGrace}. */
    public static Duration killGracePeriod(Unhealthy unhealthy, Duration podGrace) {
        return unhealthy.probeGracePeriodSeconds() != null ? Duration.ofSeconds(unhealthy.probeGracePeriodSeconds())
                : podGrace;
    }
}
