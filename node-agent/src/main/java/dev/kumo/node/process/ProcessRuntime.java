package dev.kumo.node.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.cri.BackOff;
import dev.kumo.node.cri.EnvExpansion;
import dev.kumo.node.pods.ContainerStreams;
import dev.kumo.node.pods.PodEvents;
import dev.kumo.node.pods.PodRuntime;
import dev.kumo.node.pods.RepeatLimiter;
import dev.kumo.node.pods.RuntimeContainer;
import dev.kumo.node.pods.RuntimeHealth;
import dev.kumo.node.pods.RuntimePod;
import dev.kumo.node.probes.ContainerExec;
import dev.kumo.node.probes.LifecycleHooks;
import dev.kumo.node.probes.ProbeTarget;
import dev.kumo.node.stats.ContainerStats;
import dev.kumo.node.stats.PodStats;
import dev.kumo.node.stats.ProcessTreeUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The {@code process} runtime, for a machine without containerd or root: each container's {@code command} and
 * {@code args} run as a plain process of the host, init containers first, in order, then the containers, restarted
 * as the pod's restart policy says after the kubelet's crash-loop back-off (10 s doubling to 5 min).
 *
 * <p>What it cannot do, by design: <b>no images</b> (the image is neither pulled nor used: a container needs a
 * command, and it runs the host's programs — one without a command waits with CreateContainerConfigError); <b>no
 * isolation</b> (no namespaces: processes share the host's file system, process table and user; each pod starts in a
 * scratch directory of its own); <b>no cgroups</b> (requests and limits are not enforced; the summary API's usage
 * comes from {@code /proc}, see {@link #stats}); <b>a shared network</b>
 * (a pod's IP is the node's address, and two pods that listen on one port collide). Probes and lifecycle hooks
 * work: httpGet and tcpSocket reach the node's address, exec runs beside the container's process with its
 * environment and working directory. Each run's stdout and stderr go to {@code <pod dir>/<container>/<restart>.log} in
 * the CRI log format, so {@code kubectl logs} reads them as it reads containerd's ({@link #streams}); there is no
 * exec or port-forward (nothing to enter; a pod listens on the node's address). Not done either: volumes,
 * {@code envFrom} and {@code valueFrom} other than pod fields, adopting processes after an agent restart (they are the
 * agent's children: {@link #close} stops them).
 */
public final class ProcessRuntime implements PodRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
    public static final String VERSION = "process://0.1.0";
    /** The kubelet never gives a container less than this to stop. */
    static final Duration MINIMUM_GRACE_PERIOD = Duration.ofSeconds(2);
    private static final String INIT = "init/";
    private static final String MAIN = "main/";
    private static final ProcessTreeUsage TREES = ProcessTreeUsage.system();

    private final String hostIp;
    private final Path podsDir;
    private final Clock clock;
    private final BackOff crashBackOff = new BackOff();
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final PodEvents events;
    private final RepeatLimiter repeats = new RepeatLimiter();
    private final LifecycleHooks hooks = new LifecycleHooks(this::exec);
    private final ProcessStreams streams = new ProcessStreams(this::containers);

    /** Pods' scratch directories and logs go under {@code stateDir/pods}; every pod gets {@code hostIp}. */
    public ProcessRuntime(String hostIp, Path stateDir, Clock clock) {
        this(hostIp, stateDir, clock, PodEvents.NONE);
    }

    /** The same, recording the kubelet's events (Started, Killing, BackOff, ...) in {@code events}. */
    public ProcessRuntime(String hostIp, Path stateDir, Clock clock, PodEvents events) {
        this.hostIp = hostIp;
        this.podsDir = stateDir.resolve("pods");
        this.clock = clock;
        this.events = events;
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
    public Duration resyncInterval() {
        return Duration.ofSeconds(1); // an ended process is noticed at the next look
    }

    @Override
    public RuntimePod sync(ObjectNode pod) throws IOException {
        Pod running = pods.computeIfAbsent(Meta.uid(pod), uid -> new Pod(podDir(pod), Meta.namespace(pod),
                Meta.name(pod), uid, clock.instant()));
        return running.sync(pod);
    }

    @Override
    public RuntimePod kill(ObjectNode pod, Duration gracePeriod) throws InterruptedException {
        Pod running = pods.get(Meta.uid(pod));
        if (running == null) {
            return new RuntimePod(false, List.of(), List.of(), List.of());
        }
        return running.kill(pod, gracePeriod);
    }

    @Override
    public void remove(String podUid) throws InterruptedException, IOException {
        Pod running = pods.remove(podUid);
        crashBackOff.forgetPrefix(podUid + "/");
        repeats.forgetPrefix(podUid + "/");
        if (running != null) {
            running.kill(null, Duration.ZERO);
            deleteTree(running.dir);
        }
    }

    /** Stops every process (SIGTERM, SIGKILL after 2 s): they would otherwise outlive the agent unwatched. */
    @Override
    public void close() {
        for (Pod pod : pods.values()) {
            try {
                pod.kill(null, MINIMUM_GRACE_PERIOD);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Exec probes and hooks: the command beside the container's process, with its environment. */
    private ContainerExec.Result exec(String containerId, List<String> command, Duration timeout)
            throws IOException, InterruptedException {
        for (Pod pod : pods.values()) {
            for (ProcessContainer container : pod.containers.values()) {
                if (container.running() && container.containerId().equals(containerId)) {
                    return container.exec(command, timeout);
                }
            }
        }
        throw new IOException("container " + containerId + " is not running");
    }

    /**
     * {@code kubectl logs} of its containers (each run's CRI log file, read as the cri runtime's are); exec and
     * port-forward answer 400 saying why the process runtime has none.
     */
    @Override
    public Optional<ContainerStreams> streams() {
        return Optional.of(streams);
    }

    /** The newest pod of that name (a pod deleted and created again may still be held while it is removed). */
    private Optional<List<ProcessContainer>> containers(String namespace, String name) {
        return pods.values().stream().filter(pod -> pod.namespace.equals(namespace) && pod.name.equals(name))
                .max(Comparator.comparing(pod -> pod.created)).map(Pod::containers);
    }

    @Override
    public Optional<ContainerExec> containerExec() {
        return Optional.of(this::exec);
    }

    /** Kills the container for a failed liveness or startup probe; the next sync restarts it (restartPolicy). */
    @Override
    public void killContainer(ObjectNode pod, String container, String message, Duration gracePeriod)
            throws InterruptedException {
        Pod running = pods.get(Meta.uid(pod));
        ProcessContainer process = running == null ? null : running.containers.get(MAIN + container);
        if (process != null && process.running()) {
            killOne(pod, spec(pod, "containers", container), process, gracePeriod, message);
        }
    }

    /**
     * The kubelet's {@code killContainer}: a {@code Killing} event, the preStop hook within the grace period, then
     * SIGTERM and SIGKILL after what is left of it (at least 2 s unless zero). {@code pod} null: a pod the agent
     * stops on its own (removed, or the agent closing), with no hooks and no events.
     */
    private void killOne(ObjectNode pod, JsonNode spec, ProcessContainer process, Duration gracePeriod,
                         String message) throws InterruptedException {
        Duration grace = gracePeriod;
        if (pod != null) {
            events.container(pod, process.name(), PodEvents.NORMAL, "Killing", message);
            JsonNode preStop = spec.path("lifecycle").path("preStop");
            if (preStop.isObject() && !grace.isZero()) {
                Instant begin = clock.instant();
                String failure = hooks.run(preStop, new ProbeTarget(pod, spec, hostIp, process.containerId()), grace,
                        Meta.name(pod) + "_" + Meta.namespace(pod) + "(" + Meta.uid(pod) + ")");
                if (failure != null) {
                    LOG.atWarn().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod))
                            .addKeyValue("container", process.name()).log("preStop hook failed: " + failure);
                    events.container(pod, process.name(), PodEvents.WARNING, "FailedPreStopHook",
                            "PreStopHook failed");
                }
                grace = grace.minusSeconds(Duration.between(begin, clock.instant()).toSeconds());
            }
        }
        if (!grace.isZero() && grace.compareTo(MINIMUM_GRACE_PERIOD) < 0) {
            grace = MINIMUM_GRACE_PERIOD;
        }
        process.terminate();
        process.awaitOrKill(clock.instant().plus(grace));
    }

    private static Duration gracePeriod(ObjectNode pod) {
        return Duration.ofSeconds(pod.path("spec").path("terminationGracePeriodSeconds").asLong(30));
    }

    private static JsonNode spec(ObjectNode pod, String list, String name) {
        for (JsonNode container : pod.path("spec").path(list)) {
            if (name.equals(container.path("name").asText())) {
                return container;
            }
        }
        return pod.missingNode();
    }

    /**
     * Each pod's running processes with their usage read from {@code /proc} ({@link ProcessTreeUsage}: CPU time,
     * resident memory and page faults of each container's process tree; no page cache, so the working set is the
     * resident memory). The processes share the agent's cgroup, so no cgroup measures a container apart.
     */
    @Override
    public List<PodStats> stats() throws IOException {
        List<PodStats> stats = new ArrayList<>();
        for (Pod pod : pods.values()) {
            stats.add(pod.stats());
        }
        return stats;
    }

    private Path podDir(ObjectNode pod) {
        return podsDir.resolve(Meta.namespace(pod) + "_" + Meta.name(pod) + "_" + Meta.uid(pod));
    }

    /** One pod's containers. Calls for one pod never overlap. */
    private final class Pod {
        private final Path dir;
        private final String namespace;
        private final String name;
        private final String uid;
        private final Instant created;
        /** Written by the pod's sync only; read by {@link #stats} under its lock. */
        private final Map<String, ProcessContainer> containers = new LinkedHashMap<>();
        private boolean stopped;

        Pod(Path dir, String namespace, String name, String uid, Instant created) {
            this.dir = dir;
            this.namespace = namespace;
            this.name = name;
            this.uid = uid;
            this.created = created;
        }

        List<ProcessContainer> containers() {
            synchronized (containers) {
                return List.copyOf(containers.values());
            }
        }

        PodStats stats() throws IOException {
            List<ProcessContainer> current;
            synchronized (containers) {
                current = new ArrayList<>();
                containers.forEach((key, container) -> {
                    if (key.startsWith(MAIN)) {
                        current.add(container);
                    }
                });
            }
            List<ContainerStats> running = new ArrayList<>();
            for (ProcessContainer container : current) {
                Optional<ProcessHandle> process = container.runningProcess();
                if (process.isPresent()) {
                    ProcessTreeUsage.ContainerUsage usage = TREES.measure(process.get(), clock.instant());
                    // the id of the process measured (the container may have restarted since)
                    running.add(new ContainerStats("process://" + process.get().pid(), container.name(),
                            container.startedAt(), usage.cpu(), usage.memory()));
                }
            }
            return new PodStats(name, namespace, uid, created, running, null, null);
        }

        RuntimePod sync(ObjectNode pod) throws IOException {
            JsonNode spec = pod.path("spec");
            String policy = spec.path("restartPolicy").asText("Always");
            Instant now = clock.instant();
            List<RuntimeContainer> init = new ArrayList<>();
            boolean initialized = true;
            for (JsonNode container : spec.path("initContainers")) {
                ProcessContainer process = container(INIT, pod, container);
                if (!stopped) {
                    if (!process.started()) {
                        start(process, pod, container);
                    } else if (process.exited() && process.exitCode() != 0 && !policy.equals("Never")) {
                        restart(process, pod, container, now);
                    }
                }
                init.add(process.report(true));
                if (!process.exited() || process.exitCode() != 0) {
                    initialized = false;
                    break; // the next one starts once this one succeeded
                }
            }
            List<RuntimeContainer> regular = new ArrayList<>();
            if (initialized) {
                for (JsonNode container : spec.path("containers")) {
                    ProcessContainer process = container(MAIN, pod, container);
                    if (!stopped) {
                        if (!process.started()) {
                            start(process, pod, container);
                        } else if (process.exited() && (policy.equals("Always")
                                || policy.equals("OnFailure") && process.exitCode() != 0)) {
                            restart(process, pod, container, now);
                        }
                    }
                    regular.add(process.report(false));
                }
            }
            return new RuntimePod(!stopped, List.of(hostIp), init, regular);
        }

        /** The kubelet's doBackOff: a container that ended within its back-off waits in CrashLoopBackOff. */
        private void restart(ProcessContainer process, ObjectNode pod, JsonNode container, Instant now)
                throws IOException {
            String key = Meta.uid(pod) + "/" + container.path("name").asText();
            if (crashBackOff.inBackOffSince(key, process.finishedAt(), now)) {
                if (repeats.due(key + "/BackOff", now)) {
                    events.container(pod, container.path("name").asText(), PodEvents.WARNING, "BackOff",
                            "Back-off restarting failed container " + container.path("name").asText() + " in pod "
                                    + Meta.name(pod) + "_" + Meta.namespace(pod) + "(" + Meta.uid(pod) + ")");
                }
                process.waiting("CrashLoopBackOff", "back-off " + crashBackOff.delay(key).toSeconds()
                        + "s restarting failed container=" + container.path("name").asText() + " pod="
                        + Meta.name(pod) + "_" + Meta.namespace(pod) + "(" + Meta.uid(pod) + ")");
                return;
            }
            crashBackOff.next(key, now);
            start(process, pod, container);
        }

        private void start(ProcessContainer process, ObjectNode pod, JsonNode container) throws IOException {
            String name = container.path("name").asText();
            if (container.path("command").isEmpty()) {
                process.waiting("CreateContainerConfigError", "the process runtime runs no images: container "
                        + name + " needs a command");
                return;
            }
            Map<String, String> env;
            try {
                env = ProcessEnv.of(pod, container, hostIp);
            } catch (IllegalArgumentException e) {
                process.waiting("CreateContainerConfigError", e.getMessage());
                return;
            }
            // $(VAR) in command and args is the container's env, as the kubelet expands it
            List<String> command = new ArrayList<>();
            container.path("command").forEach(part -> command.add(EnvExpansion.expand(part.asText(), env)));
            container.path("args").forEach(part -> command.add(EnvExpansion.expand(part.asText(), env)));
            Path workingDir = dir.resolve("root");
            Files.createDirectories(workingDir);
            String requested = container.path("workingDir").asText("");
            if (!requested.isEmpty()) {
                workingDir = Path.of(requested);
            }
            if (process.start(command, env, workingDir)) {
                events.container(pod, name, PodEvents.NORMAL, "Started", "Started container " + name);
                postStart(pod, container, process);
            } else {
                events.container(pod, name, PodEvents.WARNING, "Failed", "Error: " + process.waitingMessage());
            }
            LOG.atInfo().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod)).addKeyValue("container", name)
                    .addKeyValue("command", command).log("started a container as a process");
        }

        /** A failing postStart hook: a FailedPostStartHook event and the container killed (then restarted). */
        private void postStart(ObjectNode pod, JsonNode container, ProcessContainer process) {
            JsonNode postStart = container.path("lifecycle").path("postStart");
            if (!postStart.isObject()) {
                return;
            }
            try {
                String failure = hooks.run(postStart, new ProbeTarget(pod, container, hostIp, process.containerId()),
                        Duration.ofMinutes(2), Meta.name(pod) + "_" + Meta.namespace(pod) + "(" + Meta.uid(pod) + ")");
                if (failure != null) {
                    LOG.atWarn().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod))
                            .addKeyValue("container", process.name()).log("postStart hook failed: " + failure);
                    events.container(pod, process.name(), PodEvents.WARNING, "FailedPostStartHook",
                            "PostStartHook failed");
                    killOne(pod, container, process, gracePeriod(pod), "FailedPostStartHook");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private ProcessContainer container(String list, ObjectNode pod, JsonNode container) {
            String name = container.path("name").asText();
            synchronized (containers) {
                return containers.computeIfAbsent(list + name, key -> new ProcessContainer(name,
                        container.path("image").asText(""), dir.resolve(name), clock));
            }
        }

        /**
         * Every running container killed at once, each as {@link #killOne} (preStop, SIGTERM, then SIGKILL after
         * the grace period); {@code pod} null for no hooks and events.
         */
        RuntimePod kill(ObjectNode pod, Duration gracePeriod) throws InterruptedException {
            stopped = true;
            try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Map.Entry<String, ProcessContainer> entry : containers.entrySet()) {
                    ProcessContainer process = entry.getValue();
                    if (process.running()) {
                        JsonNode spec = pod == null ? null : spec(pod,
                                entry.getKey().startsWith(INIT) ? "initContainers" : "containers", process.name());
                        stopping.submit(() -> {
                            killOne(pod, spec, process, gracePeriod, "Stopping container " + process.name());
                            return null;
                        });
                    }
                }
            }
            List<RuntimeContainer> init = new ArrayList<>();
            List<RuntimeContainer> regular = new ArrayList<>();
            for (Map.Entry<String, ProcessContainer> entry : containers.entrySet()) {
                entry.getValue().awaitOrKill(clock.instant());
                boolean isInit = entry.getKey().startsWith(INIT);
                (isInit ? init : regular).add(entry.getValue().report(isInit));
            }
            return new RuntimePod(false, List.of(hostIp), init, regular);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
