package dev.kumo.node.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.ApiTime;
import dev.kumo.node.network.PodIpAllocator;
import dev.kumo.node.pods.PodRuntime;
import dev.kumo.node.pods.RuntimeContainer;
import dev.kumo.node.pods.RuntimeHealth;
import dev.kumo.node.pods.RuntimePod;
import dev.kumo.node.stats.ContainerStats;
import dev.kumo.node.stats.PodStats;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code simulated} runtime: no processes, no images, no network. A pod gets an IP from the node's pod CIDR
 * and is running at once: its init containers completed (exit code 0), its sidecars and containers running, ready
 * and started. Stopping a pod ends every container with exit code 0 (a process that honours SIGTERM). Changing a
 * container's image restarts it (restart count + 1), as the kubelet does.
 *
 * <p>Container ids are {@code simulated://<64 hex>} derived from the pod uid, container name and restart count, and
 * image ids {@code sha256:<hex>} of the image reference (no registry is asked): both are stable, so that an agent
 * that restarts adopts its pods (IPs, start times, ids) from their status instead of "restarting" them.
 */
public final class SimulatedRuntime implements PodRuntime {
    public static final String VERSION = "simulated://0.1.0";

    private final PodIpAllocator ipam;
    private final Clock clock;
    private final Map<String, SimulatedPod> pods = new ConcurrentHashMap<>();

    public SimulatedRuntime(PodIpAllocator ipam, Clock clock) {
        this.ipam = ipam;
        this.clock = clock;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public RuntimeHealth health() {
        return RuntimeHealth.READY;
    }

    @Override
    public RuntimePod sync(ObjectNode pod) {
        SimulatedPod simulated = pods.computeIfAbsent(Meta.uid(pod), uid -> adopt(pod));
        return simulated.sync(pod.path("spec"));
    }

    @Override
    public RuntimePod kill(ObjectNode pod, Duration gracePeriod) {
        SimulatedPod simulated = pods.get(Meta.uid(pod));
        if (simulated == null) {
            return new RuntimePod(false, List.of(), List.of(), List.of()); // never started here: nothing to stop
        }
        return simulated.kill(clock.instant());
    }

    @Override
    public void remove(String podUid) {
        pods.remove(podUid);
        ipam.release(podUid);
    }

    /** How many pods the runtime holds. */
    public int pods() {
        return pods.size();
    }

    @Override
    public void close() {
        // Nothing runs: simulated pods "keep running" while the node is down, as real ones would.
    }

    /** A pod seen for the first time: new, or running since before an agent restart (its status says so). */
    private SimulatedPod adopt(ObjectNode pod) {
        String uid = Meta.uid(pod);
        JsonNode status = pod.path("status");
        String ip = null;
        if (!pod.path("spec").path("hostNetwork").asBoolean(false)) {
            String previous = status.path("podIP").asText("");
            ip = !previous.isEmpty() && ipam.reserve(uid, previous) ? previous : ipam.allocate(uid);
        }
        Map<String, Instant> startedAt = new HashMap<>();
        for (String list : List.of("initContainerStatuses", "containerStatuses")) {
            for (JsonNode container : status.path(list)) {
                JsonNode state = container.path("state");
                String since = state.path("running").path("startedAt")
                        .asText(state.path("terminated").path("startedAt").asText(""));
                if (!since.isEmpty()) {
                    startedAt.put(list + "/" + container.path("name").asText(), ApiTime.parse(since));
                }
            }
        }
        String since = status.path("startTime").asText("");
        return new SimulatedPod(uid, Meta.namespace(pod), Meta.name(pod),
                since.isEmpty() ? clock.instant() : ApiTime.parse(since), ip, startedAt);
    }

    /**
     * The pods and their running containers with no usage: nothing runs, so nothing is measured, and the summary
     * leaves the fields out as the kubelet does when it has no data (rather than inventing numbers).
     */
    @Override
    public List<PodStats> stats() {
        List<PodStats> stats = new ArrayList<>();
        pods.values().forEach(pod -> stats.add(pod.stats()));
        return stats;
    }

    /** One pod's simulated containers. Calls for one pod never overlap (the pod sync's work queue). */
    private final class SimulatedPod {
        private static final String INIT = "initContainerStatuses";
        private static final String REGULAR = "containerStatuses";

        private final String uid;
        private final String namespace;
        private final String name;
        private final Instant startTime;
        private final String ip;
        private final Map<String, Instant> adoptedStarts;
        private final Map<String, Container> containers = new LinkedHashMap<>();
        private boolean stopped;

        SimulatedPod(String uid, String namespace, String name, Instant startTime, String ip,
                     Map<String, Instant> adoptedStarts) {
            this.uid = uid;
            this.namespace = namespace;
            this.name = name;
            this.startTime = startTime;
            this.ip = ip;
            this.adoptedStarts = adoptedStarts;
        }

        /** Read while the pod may sync: a copy of the containers, each read once. */
        synchronized PodStats stats() {
            List<ContainerStats> running = new ArrayList<>();
            containers.forEach((key, container) -> {
                if (!key.startsWith(INIT + "/") && container.finishedAt == null) {
                    running.add(new ContainerStats(container.id(), container.name, container.startedAt, null, null));
                }
            });
            return new PodStats(name, namespace, uid, startTime, running, null, null);
        }

        synchronized RuntimePod sync(JsonNode spec) {
            Instant now = clock.instant();
            List<RuntimeContainer> init = new ArrayList<>();
            for (JsonNode container : spec.path("initContainers")) {
                boolean sidecar = "Always".equals(container.path("restartPolicy").asText(""));
                init.add(container(INIT, container, !sidecar, now).report());
            }
            List<RuntimeContainer> regular = new ArrayList<>();
            for (JsonNode container : spec.path("containers")) {
                regular.add(container(REGULAR, container, false, now).report());
            }
            return new RuntimePod(!stopped, ip == null ? List.of() : List.of(ip), init, regular);
        }

        synchronized RuntimePod kill(Instant now) {
            stopped = true;
            List<RuntimeContainer> init = new ArrayList<>();
            List<RuntimeContainer> regular = new ArrayList<>();
            containers.forEach((key, container) -> {
                container.stop(now);
                (key.startsWith(INIT + "/") ? init : regular).add(container.report());
            });
            return new RuntimePod(false, ip == null ? List.of() : List.of(ip), init, regular);
        }

        private Container container(String list, JsonNode spec, boolean runsToCompletion, Instant now) {
            String key = list + "/" + spec.path("name").asText();
            String image = spec.path("image").asText("");
            Container container = containers.get(key);
            if (container == null) {
                container = new Container(spec.path("name").asText(), image, runsToCompletion, 0,
                        adoptedStarts.getOrDefault(key, now));
                containers.put(key, container);
            } else if (!container.image.equals(image) && !runsToCompletion && !stopped) {
                container = new Container(container.name, image, false, container.restartCount + 1, now);
                containers.put(key, container);
            }
            return container;
        }

        /**
         * One container: an init container completes at once (exit code 0; the kubelet calls it ready); the others
         * run from {@code startedAt} until stopped, then end with exit code 0.
         */
        private final class Container {
            private final String name;
            private final String image;
            private final boolean runsToCompletion;
            private final int restartCount;
            private final Instant startedAt;
            private Instant finishedAt;

            Container(String name, String image, boolean runsToCompletion, int restartCount, Instant startedAt) {
                this.name = name;
                this.image = image;
                this.runsToCompletion = runsToCompletion;
                this.restartCount = restartCount;
                this.startedAt = startedAt;
                this.finishedAt = runsToCompletion ? startedAt : null;
            }

            void stop(Instant now) {
                if (finishedAt == null) {
                    finishedAt = now;
                }
            }

            String id() {
                return "simulated://" + sha256(uid + "/" + name + "/" + restartCount);
            }

            RuntimeContainer report() {
                String id = id();
                String imageId = "sha256:" + sha256(image);
                if (finishedAt != null) {
                    return RuntimeContainer.terminated(name, image, imageId, id, restartCount, startedAt, finishedAt,
                            0, runsToCompletion);
                }
                return RuntimeContainer.running(name, image, imageId, id, restartCount, startedAt, true);
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
