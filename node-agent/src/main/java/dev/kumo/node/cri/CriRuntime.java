package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.cri.v1.Container;
import dev.kumo.node.cri.v1.ContainerConfig;
import dev.kumo.node.cri.v1.ContainerFilter;
import dev.kumo.node.cri.v1.ContainerMetadata;
import dev.kumo.node.cri.v1.ContainerState;
import dev.kumo.node.cri.v1.ContainerStatus;
import dev.kumo.node.cri.v1.ContainerStatusRequest;
import dev.kumo.node.cri.v1.CreateContainerRequest;
import dev.kumo.node.cri.v1.ExecSyncRequest;
import dev.kumo.node.cri.v1.ExecSyncResponse;
import dev.kumo.node.cri.v1.ListContainersRequest;
import dev.kumo.node.cri.v1.ListPodSandboxRequest;
import dev.kumo.node.cri.v1.PodSandbox;
import dev.kumo.node.cri.v1.PodSandboxConfig;
import dev.kumo.node.cri.v1.PodSandboxFilter;
import dev.kumo.node.cri.v1.PodSandboxState;
import dev.kumo.node.cri.v1.PodSandboxStatus;
import dev.kumo.node.cri.v1.PodSandboxStatusRequest;
import dev.kumo.node.cri.v1.RemovePodSandboxRequest;
import dev.kumo.node.cri.v1.RunPodSandboxRequest;
import dev.kumo.node.cri.v1.RuntimeCondition;
import dev.kumo.node.cri.v1.StartContainerRequest;
import dev.kumo.node.cri.v1.StatusRequest;
import dev.kumo.node.cri.v1.StopContainerRequest;
import dev.kumo.node.cri.v1.StopPodSandboxRequest;
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
import dev.kumo.node.stats.PodStats;
import dev.kumo.node.volumes.MountedVolume;
import dev.kumo.node.volumes.PodVolumes;
import dev.kumo.node.volumes.VolumeError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code cri} runtime: a node's pods in containerd through its CRI, as the kubelet's runtime manager runs them
 * ({@code SyncPod}, {@code KillPod}). Each pod gets a sandbox (its network namespace, on the node's CNI bridge),
 * then its init containers one after another, then its containers; images are pulled by {@link ImagePuller};
 * containers that ended are restarted as the restart policy says, after the kubelet's crash-loop back-off.
 *
 * <p>The runtime keeps no state that matters: sandboxes and containers carry the pod's uid and the container's
 * name and attempt as labels and metadata, so an agent that restarts finds the pods it ran (same sandbox, same
 * container ids) and adopts them without restarting anything. Only back-offs live in memory, as in the kubelet.
 */
public final class CriRuntime implements PodRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(CriRuntime.class);
    /** The kubelet never gives a container less than this to stop ({@code minimumGracePeriodInSeconds}). */
    static final Duration MINIMUM_GRACE_PERIOD = Duration.ofSeconds(2);
    /** How often a pod is looked at again (the kubelet's PLEG relists every second). */
    static final Duration RESYNC_INTERVAL = Duration.ofSeconds(1);

    /**
     * Where and how the node runs its pods: containerd's socket, the CNI configuration directory containerd reads,
     * the agent's state directory (pod logs under {@code pods/}, IP allocations under {@code cni/}), the bridge's
     * name, the node's address and memory, the cluster DNS address pods of dnsPolicy ClusterFirst get (the kubelet's
     * {@code --cluster-dns}; "" for none: they get the host's resolvers), and whether the pod bridge masquerades
     * what leaves the pod CIDR (not where pod CIDRs are routed between nodes).
     */
    public record Options(Path socket, Path cniConfDir, Path stateDir, String bridge, String hostIp,
                          long nodeMemoryBytes, String clusterDns, boolean ipMasq) {
        /** No cluster DNS; masquerading. */
        public Options(Path socket, Path cniConfDir, Path stateDir, String bridge, String hostIp,
                       long nodeMemoryBytes) {
            this(socket, cniConfDir, stateDir, bridge, hostIp, nodeMemoryBytes, "", true);
        }
    }

    private final CriClient client;
    private final Options options;
    private final Clock clock;
    private final String version;
    private final ImagePuller images;
    private final BackOff crashBackOff = new BackOff();
    private final EnvSources envSources;
    private final PodVolumes volumes;
    private final ContainerStreams streams;
    private final PodEvents events;
    private final RepeatLimiter repeats = new RepeatLimiter();
    private final LifecycleHooks hooks = new LifecycleHooks(this::execSync);
    private final CriStats stats;

    private CriRuntime(CriClient client, Options options, Clock clock, String version, KubeClient api,
                       PodEvents events) {
        this.client = client;
        this.options = options;
        this.clock = clock;
        this.version = version;
        this.events = events;
        this.images = new ImagePuller(client, new BackOff(), clock, events, repeats);
        this.envSources = api == null ? null : new EnvSources(api);
        this.volumes = new PodVolumes(options.stateDir().resolve("volumes"), api, clock);
        this.streams = new CriStreams(client);
        this.stats = new CriStats(client, clock);
    }

    /**
     * Writes the node's CNI configuration for {@code podCidr} and connects to containerd; {@code api} (the node's
     * client, or null) is where ConfigMaps, Secrets and service-account tokens for containers' environments and
     * volumes come from, and {@code events} where the kubelet's events about pods and containers go.
     */
    public static CriRuntime start(Options options, String podCidr, Clock clock, KubeClient api, PodEvents events)
            throws IOException {
        new CniConfig("kumo-" + options.bridge(), options.bridge(), podCidr, options.stateDir().resolve("cni"),
                options.ipMasq()).write(options.cniConfDir());
        Files.createDirectories(logRoot(options));
        CriClient client = new CriClient(options.socket());
        try {
            var version = client.version();
            LOG.atInfo().addKeyValue("socket", options.socket()).addKeyValue("podCidr", podCidr)
                    .addKeyValue("runtime", version.getRuntimeName() + " " + version.getRuntimeVersion())
                    .log("cri runtime connected");
            return new CriRuntime(client, options, clock,
                    version.getRuntimeName() + "://" + version.getRuntimeVersion(), api, events);
        } catch (StatusRuntimeException e) {
            client.close();
            throw new IOException("containerd at " + options.socket() + " does not answer: " + e.getMessage(), e);
        }
    }

    private static Path logRoot(Options options) {
        return options.stateDir().resolve("pods");
    }

    @Override
    public String version() {
        return version;
    }

    /** Ready when the CRI says RuntimeReady and NetworkReady (the kubelet's runtime and network checks). */
    @Override
    public RuntimeHealth health() {
        try {
            for (RuntimeCondition condition : client.runtime().status(StatusRequest.getDefaultInstance())
                    .getStatus().getConditionsList()) {
                if (!condition.getStatus()) {
                    String what = condition.getType().equals("NetworkReady") ? "container runtime network"
                            : "container runtime";
                    return RuntimeHealth.notReady(what + " not ready: " + condition.getType() + "=false reason:"
                            + condition.getReason() + " message:" + condition.getMessage());
                }
            }
            return RuntimeHealth.READY;
        } catch (StatusRuntimeException e) {
            return RuntimeHealth.notReady("container runtime is down: " + e.getMessage());
        }
    }

    @Override
    public Duration resyncInterval() {
        return RESYNC_INTERVAL;
    }

    @Override
    public RuntimePod sync(ObjectNode pod) {
        String uid = Meta.uid(pod);
        Map<String, MountedVolume> podVolumes;
        try {
            podVolumes = volumes.setUp(pod); // before the sandbox, as the kubelet waits for mounts
        } catch (VolumeError e) {
            LOG.atWarn().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod))
                    .addKeyValue("error", e.getMessage()).log("FailedMount");
            if (repeats.due(uid + "/FailedMount", clock.instant())) {
                events.pod(pod, PodEvents.WARNING, "FailedMount", e.getMessage());
            }
            return volumesNotReady(pod, e.getMessage());
        }
        Sandbox sandbox = sandbox(pod);
        Map<String, Instances> init = new HashMap<>();
        Map<String, Instances> regular = new HashMap<>();
        latestContainers(sandbox.id(), init, regular);
        JsonNode spec = pod.path("spec");
        String restartPolicy = spec.path("restartPolicy").asText("Always");

        List<RuntimeContainer> initReports = new ArrayList<>();
        boolean initialized = true;
        for (JsonNode container : spec.path("initContainers")) {
            boolean sidecar = "Always".equals(container.path("restartPolicy").asText(""));
            RuntimeContainer report = syncContainer(pod, sandbox, podVolumes, container, CriLabels.KIND_INIT,
                    init.get(container.path("name").asText()), sidecar ? "Always"
                            : restartPolicy.equals("Never") ? "Never" : "OnFailure");
            initReports.add(report);
            boolean done = sidecar ? report.state() == RuntimeContainer.State.RUNNING
                    : report.state() == RuntimeContainer.State.TERMINATED && report.exitCode() == 0;
            if (!done) {
                initialized = false;
                break;
            }
        }
        List<RuntimeContainer> reports = new ArrayList<>();
        if (initialized) {
            for (JsonNode container : spec.path("containers")) {
                reports.add(syncContainer(pod, sandbox, podVolumes, container, CriLabels.KIND_REGULAR,
                        regular.get(container.path("name").asText()), restartPolicy));
            }
        }
        LOG.atDebug().addKeyValue("podUid", uid).addKeyValue("sandbox", sandbox.id()).log("synced pod");
        return new RuntimePod(sandbox.ready(), sandbox.ips(), initReports, reports);
    }

    /**
     * One container towards its spec: started when it never ran, left alone while it runs, restarted after it
     * ended when {@code restartPolicy} says so (once its crash-loop back-off has passed), else reported as ended.
     */
    private RuntimeContainer syncContainer(ObjectNode pod, Sandbox sandbox, Map<String, MountedVolume> podVolumes,
                                           JsonNode container, String kind,
                                           Instances instances, String restartPolicy) {
        String image = container.path("image").asText("");
        boolean init = kind.equals(CriLabels.KIND_INIT);
        if (instances == null) {
            return start(pod, sandbox, podVolumes, container, kind, 0);
        }
        ContainerStatus latest = instances.latest();
        RuntimeContainer previous = instances.previous() == null ? null
                : CriStatuses.toRuntime(instances.previous(), image, init);
        if (latest.getState() == ContainerState.CONTAINER_CREATED) {
            return startCreated(pod, latest, image, init).withLastTermination(previous);
        }
        if (latest.getState() != ContainerState.CONTAINER_EXITED) {
            return CriStatuses.toRuntime(latest, image, init).withLastTermination(previous);
        }
        boolean restart = switch (restartPolicy) {
            case "Always" -> true;
            case "OnFailure" -> latest.getExitCode() != 0;
            default -> false;
        };
        RuntimeContainer ended = CriStatuses.toRuntime(latest, image, init);
        if (!restart) {
            return ended.withLastTermination(previous);
        }
        String key = Meta.uid(pod) + "/" + kind + "/" + container.path("name").asText();
        Instant now = clock.instant();
        if (crashBackOff.inBackOffSince(key, CriStatuses.instant(latest.getFinishedAt()), now)) {
            if (repeats.due(key + "/BackOff", now)) {
                events.container(pod, container.path("name").asText(), PodEvents.WARNING, "BackOff",
                        "Back-off restarting failed container " + container.path("name").asText() + " in pod "
                                + formatPod(pod));
            }
            String message = "back-off " + crashBackOff.delay(key).toSeconds() + "s restarting failed container="
                    + container.path("name").asText() + " pod=" + formatPod(pod);
            return RuntimeContainer.waiting(container.path("name").asText(), image, "CrashLoopBackOff", message,
                    latest.getMetadata().getAttempt()).withLastTermination(ended);
        }
        crashBackOff.next(key, now);
        return start(pod, sandbox, podVolumes, container, kind, latest.getMetadata().getAttempt() + 1)
                .withLastTermination(ended);
    }

    /** The kubelet's {@code format.Pod}: {@code name_namespace(uid)}. */
    static String formatPod(ObjectNode pod) {
        return Meta.name(pod) + "_" + Meta.namespace(pod) + "(" + Meta.uid(pod) + ")";
    }

    /**
     * A pod whose volumes cannot be set up: no sandbox, every container waiting in {@code ContainerCreating} with
     * the mount failure as its message (where the kubelet would show a FailedMount event).
     */
    private static RuntimePod volumesNotReady(ObjectNode pod, String message) {
        List<RuntimeContainer> init = new ArrayList<>();
        pod.path("spec").path("initContainers").forEach(container -> init.add(waitingForVolumes(container, message)));
        List<RuntimeContainer> regular = new ArrayList<>();
        pod.path("spec").path("containers").forEach(container -> regular.add(waitingForVolumes(container, message)));
        return new RuntimePod(false, List.of(), init, regular);
    }

    private static RuntimeContainer waitingForVolumes(JsonNode container, String message) {
        return RuntimeContainer.waiting(container.path("name").asText(), container.path("image").asText(""),
                "ContainerCreating", message, 0);
    }

    /** Pulls the image if it must, creates and starts the container; a failure is the container's waiting state. */
    private RuntimeContainer start(ObjectNode pod, Sandbox sandbox, Map<String, MountedVolume> podVolumes,
                                   JsonNode container, String kind, int attempt) {
        String name = container.path("name").asText();
        String image = container.path("image").asText("");
        long begin = System.nanoTime();
        ImagePuller.Result pulled = images.ensure(pod, container, sandbox.config());
        long imageReady = System.nanoTime();
        if (!pulled.ok()) {
            return RuntimeContainer.waiting(name, image, pulled.reason(), pulled.message(), attempt);
        }
        ContainerConfig config;
        try {
            config = ContainerConfigs.of(pod, container, kind, attempt, pulled.imageId(), sandbox.config(),
                    new ContainerConfigs.PodContext(sandbox.ips().isEmpty() ? options.hostIp() : sandbox.ips().get(0),
                            options.hostIp(), options.nodeMemoryBytes(), envSources, podVolumes));
        } catch (ContainerConfigs.ConfigError e) {
            if (repeats.due(Meta.uid(pod) + "/" + kind + "/" + name + "/CreateContainerConfigError", clock.instant())) {
                events.container(pod, name, PodEvents.WARNING, "Failed", "Error: " + e.getMessage());
            }
            return RuntimeContainer.waiting(name, image, "CreateContainerConfigError", e.getMessage(), attempt);
        }
        String id;
        try {
            id = client.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox.id())
                    .setConfig(config).setSandboxConfig(sandbox.config()).build()).getContainerId();
        } catch (StatusRuntimeException e) {
            LOG.atWarn().addKeyValue("podUid", Meta.uid(pod)).addKeyValue("container", name).setCause(e)
                    .log("creating a container failed");
            events.container(pod, name, PodEvents.WARNING, "Failed", "Error: " + e.getStatus().getDescription());
            return RuntimeContainer.waiting(name, image, "CreateContainerError", e.getMessage(), attempt);
        }
        long createdAt = System.nanoTime();
        events.container(pod, name, PodEvents.NORMAL, "Created", "Created container: " + name);
        try {
            client.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
        } catch (StatusRuntimeException e) {
            LOG.atWarn().addKeyValue("podUid", Meta.uid(pod)).addKeyValue("container", name).setCause(e)
                    .log("starting a container failed");
            events.container(pod, name, PodEvents.WARNING, "Failed", "Error: " + e.getStatus().getDescription());
            return RuntimeContainer.waiting(name, image, "RunContainerError", e.getMessage(), attempt);
        }
        LOG.atInfo().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod)).addKeyValue("container", name)
                .addKeyValue("containerId", id).addKeyValue("attempt", attempt)
                .addKeyValue("imageMillis", (imageReady - begin) / 1_000_000)
                .addKeyValue("createMillis", (createdAt - imageReady) / 1_000_000)
                .addKeyValue("startMillis", (System.nanoTime() - createdAt) / 1_000_000).log("started container");
        events.container(pod, name, PodEvents.NORMAL, "Started", "Started container " + name);
        JsonNode postStart = container.path("lifecycle").path("postStart");
        if (postStart.isObject()) {
            runPostStart(pod, container, postStart, id, sandbox.ips());
        }
        return CriStatuses.toRuntime(status(id), image, kind.equals(CriLabels.KIND_INIT));
    }

    /** A container created but never started (the agent stopped in between): started now. */
    private RuntimeContainer startCreated(ObjectNode pod, ContainerStatus created, String image, boolean init) {
        try {
            client.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(created.getId())
                    .build());
        } catch (StatusRuntimeException e) {
            LOG.atWarn().addKeyValue("podUid", Meta.uid(pod)).addKeyValue("containerId", created.getId())
                    .setCause(e).log("starting a created container failed");
            return RuntimeContainer.waiting(created.getMetadata().getName(), image, "RunContainerError",
                    e.getMessage(), created.getMetadata().getAttempt());
        }
        return CriStatuses.toRuntime(status(created.getId()), image, init);
    }

    private ContainerStatus status(String containerId) {
        return client.runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(containerId)
                .build()).getStatus();
    }

    /** The sandbox's id, whether it is ready, its IPs, and the configuration it was made with. */
    private record Sandbox(String id, boolean ready, List<String> ips, PodSandboxConfig config) {
    }

    /**
     * The pod's ready sandbox (the newest one of its uid), or a new one (attempt one past the newest, whose
     * containers are stopped first) when it has none.
     */
    private Sandbox sandbox(ObjectNode pod) {
        List<PodSandbox> sandboxes = sandboxes(Meta.uid(pod));
        Optional<PodSandbox> newest = sandboxes.stream().max(Comparator.comparingLong(PodSandbox::getCreatedAt));
        if (newest.isPresent() && newest.get().getState() == PodSandboxState.SANDBOX_READY) {
            PodSandboxConfig config = SandboxConfigs.of(pod, newest.get().getMetadata().getAttempt(), options.clusterDns(),
                    logRoot(options));
            return describe(newest.get().getId(), config);
        }
        int attempt = newest.map(sandbox -> sandbox.getMetadata().getAttempt() + 1).orElse(0);
        newest.ifPresent(dead -> {
            LOG.atInfo().addKeyValue("podUid", Meta.uid(pod)).addKeyValue("sandbox", dead.getId())
                    .log("the pod's sandbox is not ready: making a new one");
            stopSandbox(dead.getId());
        });
        PodSandboxConfig config = SandboxConfigs.of(pod, attempt, options.clusterDns(), logRoot(options));
        try {
            Files.createDirectories(Path.of(config.getLogDirectory()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the pod's log directory " + config.getLogDirectory(), e);
        }
        long begin = System.nanoTime();
        String id = client.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build())
                .getPodSandboxId();
        LOG.atInfo().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod)).addKeyValue("sandbox", id)
                .addKeyValue("attempt", attempt).addKeyValue("millis", (System.nanoTime() - begin) / 1_000_000)
                .log("ran pod sandbox");
        return describe(id, config);
    }

    private Sandbox describe(String id, PodSandboxConfig config) {
        PodSandboxStatus status = client.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                .setPodSandboxId(id).build()).getStatus();
        List<String> ips = new ArrayList<>();
        if (!status.getNetwork().getIp().isEmpty()) {
            ips.add(status.getNetwork().getIp());
        }
        status.getNetwork().getAdditionalIpsList().forEach(ip -> ips.add(ip.getIp()));
        return new Sandbox(id, status.getState() == PodSandboxState.SANDBOX_READY, ips, config);
    }

    private List<PodSandbox> sandboxes(String uid) {
        return client.runtime().listPodSandbox(ListPodSandboxRequest.newBuilder()
                .setFilter(PodSandboxFilter.newBuilder().putLabelSelector(CriLabels.POD_UID, uid)).build())
                .getItemsList();
    }

    private List<Container> containers(String sandboxId) {
        return client.runtime().listContainers(ListContainersRequest.newBuilder()
                .setFilter(ContainerFilter.newBuilder().setPodSandboxId(sandboxId)).build()).getContainersList();
    }

    /** A container's newest instance (highest attempt) and the one before it (null when there is none). */
    private record Instances(ContainerStatus latest, ContainerStatus previous) {
    }

    /** The newest two instances of each container of the sandbox, init containers apart. */
    private void latestContainers(String sandboxId, Map<String, Instances> init, Map<String, Instances> regular) {
        Map<String, List<Container>> byName = new HashMap<>();
        for (Container container : containers(sandboxId)) {
            String key = container.getLabelsOrDefault(CriLabels.CONTAINER_KIND, CriLabels.KIND_REGULAR) + "/"
                    + container.getMetadata().getName();
            byName.computeIfAbsent(key, k -> new ArrayList<>()).add(container);
        }
        byName.forEach((key, instances) -> {
            instances.sort(Comparator.comparingInt((Container c) -> c.getMetadata().getAttempt()).reversed());
            ContainerStatus latest = status(instances.get(0).getId());
            ContainerStatus previous = instances.size() > 1 ? status(instances.get(1).getId()) : null;
            (key.startsWith(CriLabels.KIND_INIT + "/") ? init : regular).put(latest.getMetadata().getName(),
                    new Instances(latest, previous));
        });
    }

    /**
     * Stops every running container of the pod, all at once, each with {@code gracePeriod} (at least 2 s) between
     * SIGTERM and SIGKILL, then its sandbox (whose network goes; its IPs stay in the report).
     */
    @Override
    public RuntimePod kill(ObjectNode pod, Duration gracePeriod) {
        String uid = Meta.uid(pod);
        List<PodSandbox> sandboxes = sandboxes(uid);
        Optional<PodSandbox> newest = sandboxes.stream().max(Comparator.comparingLong(PodSandbox::getCreatedAt));
        if (newest.isEmpty()) {
            return new RuntimePod(false, List.of(), List.of(), List.of()); // never started here: nothing to stop
        }
        List<String> ips = describe(newest.get().getId(), PodSandboxConfig.getDefaultInstance()).ips();
        try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PodSandbox sandbox : sandboxes) {
                for (Container container : containers(sandbox.getId())) {
                    if (container.getState() == ContainerState.CONTAINER_RUNNING
                            || container.getState() == ContainerState.CONTAINER_CREATED) {
                        String name = container.getMetadata().getName();
                        stopping.submit(() -> {
                            killContainer(pod, containerSpec(pod, container), container, ips, gracePeriod,
                                    "Stopping container " + name);
                            return null;
                        });
                    }
                }
            }
        }
        Map<String, Instances> init = new HashMap<>();
        Map<String, Instances> regular = new HashMap<>();
        latestContainers(newest.get().getId(), init, regular);
        sandboxes.forEach(sandbox -> stopSandbox(sandbox.getId()));
        return new RuntimePod(false, ips, reports(pod.path("spec").path("initContainers"), init, true),
                reports(pod.path("spec").path("containers"), regular, false));
    }

    /**
     * Kills the newest instance of regular container {@code name} if it runs (a failed liveness or startup probe);
     * the next sync restarts it as the restart policy says.
     */
    @Override
    public void killContainer(ObjectNode pod, String name, String message, Duration gracePeriod)
            throws InterruptedException {
        List<PodSandbox> sandboxes = sandboxes(Meta.uid(pod));
        Optional<PodSandbox> newest = sandboxes.stream().max(Comparator.comparingLong(PodSandbox::getCreatedAt));
        if (newest.isEmpty()) {
            return;
        }
        List<String> ips = describe(newest.get().getId(), PodSandboxConfig.getDefaultInstance()).ips();
        Optional<Container> running = containers(newest.get().getId()).stream()
                .filter(c -> c.getMetadata().getName().equals(name)
                        && c.getLabelsOrDefault(CriLabels.CONTAINER_KIND, CriLabels.KIND_REGULAR)
                        .equals(CriLabels.KIND_REGULAR)
                        && c.getState() == ContainerState.CONTAINER_RUNNING)
                .max(Comparator.comparingInt(c -> c.getMetadata().getAttempt()));
        if (running.isPresent()) {
            killContainer(pod, containerSpec(pod, running.get()), running.get(), ips, gracePeriod, message);
        }
    }

    /**
     * The kubelet's {@code killContainer}: a {@code Killing} event, the preStop hook within the grace period (a
     * failure is a {@code FailedPreStopHook} event), then StopContainer with what is left of it (at least 2 s)
     * between SIGTERM and SIGKILL.
     */
    private void killContainer(ObjectNode pod, JsonNode spec, Container container, List<String> ips,
                               Duration gracePeriod, String message) throws InterruptedException {
        String name = container.getMetadata().getName();
        events.container(pod, name, PodEvents.NORMAL, "Killing", message);
        long grace = gracePeriod.toSeconds();
        JsonNode preStop = spec.path("lifecycle").path("preStop");
        if (preStop.isObject() && grace > 0 && container.getState() == ContainerState.CONTAINER_RUNNING) {
            long begin = System.nanoTime();
            String failure = hooks.run(preStop, new ProbeTarget(pod, spec, ips.isEmpty() ? "" : ips.get(0),
                    CriLabels.CONTAINER_ID_SCHEME + container.getId()), gracePeriod, formatPod(pod));
            long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin);
            LOG.atInfo().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod)).addKeyValue("container", name)
                    .addKeyValue("seconds", took).addKeyValue("failure", failure).log("ran preStop hook");
            if (failure != null) {
                // the kubelet leaves the hook's output out of the event: it may hold secrets
                events.container(pod, name, PodEvents.WARNING, "FailedPreStopHook", "PreStopHook failed");
            }
            grace -= took;
        }
        stopContainer(Meta.uid(pod), container, Math.max(MINIMUM_GRACE_PERIOD.toSeconds(), grace));
    }

    /**
     * The kubelet's postStart: the hook runs once the container started; when it fails, a
     * {@code FailedPostStartHook} event, and the container is killed (and restarted as the restart policy says).
     */
    private void runPostStart(ObjectNode pod, JsonNode spec, JsonNode postStart, String id, List<String> ips) {
        String name = spec.path("name").asText();
        String failure;
        try {
            failure = hooks.run(postStart, new ProbeTarget(pod, spec, ips.isEmpty() ? "" : ips.get(0),
                    CriLabels.CONTAINER_ID_SCHEME + id), CriClient.REQUEST_TIMEOUT, formatPod(pod));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (failure == null) {
            return;
        }
        LOG.atWarn().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod)).addKeyValue("container", name)
                .log("postStart hook failed: " + failure);
        events.container(pod, name, PodEvents.WARNING, "FailedPostStartHook", "PostStartHook failed");
        events.container(pod, name, PodEvents.NORMAL, "Killing", "FailedPostStartHook");
        stopContainer(Meta.uid(pod), Container.newBuilder().setId(id).setMetadata(
                        ContainerMetadata.newBuilder().setName(name)).build(),
                Math.max(MINIMUM_GRACE_PERIOD.toSeconds(), gracePeriodSeconds(pod)));
    }

    private static long gracePeriodSeconds(ObjectNode pod) {
        return pod.path("metadata").path("deletionGracePeriodSeconds")
                .asLong(pod.path("spec").path("terminationGracePeriodSeconds").asLong(30));
    }

    /** The container's spec in the pod (by its kind and name), or a missing node. */
    private static JsonNode containerSpec(ObjectNode pod, Container container) {
        String list = container.getLabelsOrDefault(CriLabels.CONTAINER_KIND, CriLabels.KIND_REGULAR)
                .equals(CriLabels.KIND_INIT) ? "initContainers" : "containers";
        for (JsonNode spec : pod.path("spec").path(list)) {
            if (spec.path("name").asText().equals(container.getMetadata().getName())) {
                return spec;
            }
        }
        return pod.missingNode();
    }

    /** Exec probes and hooks: CRI ExecSync, its timeout in whole seconds (at least one), as the kubelet sends it. */
    private ContainerExec.Result execSync(String containerId, List<String> command, Duration timeout) {
        String id = containerId.startsWith(CriLabels.CONTAINER_ID_SCHEME)
                ? containerId.substring(CriLabels.CONTAINER_ID_SCHEME.length()) : containerId;
        long seconds = timeout.isZero() ? 0 : Math.max(1, (timeout.toMillis() + 999) / 1000);
        try {
            ExecSyncResponse response = client.runtime(Duration.ofSeconds(seconds).plus(CriClient.REQUEST_TIMEOUT))
                    .execSync(ExecSyncRequest.newBuilder().setContainerId(id).addAllCmd(command).setTimeout(seconds)
                            .build());
            return new ContainerExec.Result(response.getExitCode(),
                    response.getStdout().toStringUtf8() + response.getStderr().toStringUtf8(), false);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                return new ContainerExec.Result(-1, "", true);
            }
            throw e;
        }
    }

    @Override
    public Optional<ContainerExec> containerExec() {
        return Optional.of(this::execSync);
    }

    private void stopContainer(String uid, Container container, long timeoutSeconds) {
        long begin = System.nanoTime();
        client.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(container.getId())
                .setTimeout(timeoutSeconds).build());
        LOG.atInfo().addKeyValue("podUid", uid).addKeyValue("container", container.getMetadata().getName())
                .addKeyValue("containerId", container.getId()).addKeyValue("gracePeriodSeconds", timeoutSeconds)
                .addKeyValue("millis", (System.nanoTime() - begin) / 1_000_000).log("stopped container");
    }

    private static List<RuntimeContainer> reports(JsonNode specs, Map<String, Instances> statuses, boolean init) {
        List<RuntimeContainer> reports = new ArrayList<>();
        for (JsonNode container : specs) {
            Instances instances = statuses.get(container.path("name").asText());
            if (instances != null) {
                String image = container.path("image").asText("");
                reports.add(CriStatuses.toRuntime(instances.latest(), image, init).withLastTermination(
                        instances.previous() == null ? null : CriStatuses.toRuntime(instances.previous(), image,
                                init)));
            }
        }
        return reports;
    }

    private void stopSandbox(String sandboxId) {
        client.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build());
    }

    /**
     * Stops and removes the pod's sandboxes (with their containers), its volumes and its logs; forgets its
     * back-offs.
     */
    @Override
    public void remove(String podUid) throws IOException {
        for (PodSandbox sandbox : sandboxes(podUid)) {
            try {
                stopSandbox(sandbox.getId());
                client.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(sandbox.getId()).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
            }
            LOG.atInfo().addKeyValue("podUid", podUid).addKeyValue("sandbox", sandbox.getId())
                    .log("removed pod sandbox");
        }
        crashBackOff.forgetPrefix(podUid + "/");
        repeats.forgetPrefix(podUid + "/");
        volumes.tearDown(podUid);
        try (Stream<Path> dirs = Files.list(logRoot(options))) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().endsWith("_" + podUid)).toList()) {
                deleteRecursively(dir);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Logs, exec and port-forward of this runtime's containers (the kubelet endpoint serves them). */
    @Override
    public Optional<ContainerStreams> streams() {
        return Optional.of(streams);
    }

    /** CPU and memory of the node's pods as containerd measures them ({@link CriStats}). */
    @Override
    public List<PodStats> stats() {
        return stats.list();
    }

    /** Disconnects; the pods keep running (an agent that starts again adopts them). */
    @Override
    public void close() {
        client.close();
    }
}
