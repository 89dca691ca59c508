package dev.kumo.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.dns.ClusterDns;
import dev.kumo.node.dns.DnsSettings;
import dev.kumo.node.events.KubeletEvents;
import dev.kumo.node.heartbeat.Heartbeat;
import dev.kumo.node.heartbeat.NodeLease;
import dev.kumo.node.heartbeat.NodeStatusBuilder;
import dev.kumo.node.heartbeat.NodeStatusReporter;
import dev.kumo.node.join.NodeCredential;
import dev.kumo.node.join.NodeRegistration;
import dev.kumo.node.pods.PodEvents;
import dev.kumo.node.pods.PodRuntime;
import dev.kumo.node.pods.PodStatusBuilder;
import dev.kumo.node.pods.PodSync;
import dev.kumo.node.proxy.ProxyConfig;
import dev.kumo.node.proxy.ServiceProxier;
import dev.kumo.node.server.KubeletServer;
import dev.kumo.node.stats.HostUsage;
import dev.kumo.node.stats.SummaryProvider;
import dev.kumo.apimachinery.kubelet.KubeletApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

/**
 * One node agent (the kubelet's role) as {@code system:node:<name>}: joins (trades the bootstrap token for a node
 * credential, registers the Node, creates its Lease, posts its first status), then keeps heartbeating on one
 * virtual thread ({@link Heartbeat}) and runs the pods bound to the node ({@link PodSync}) through its runtime.
 * {@link #close()} stops it as a node that goes silent: its Node and pods stay, its lease stops being renewed.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    private static final String USER_AGENT = "kumo-node-agent";
    /** How often the status is posted when nothing changed (the issue asks for at least every minute). */
    public static final Duration STATUS_REPORT_FREQUENCY = Duration.ofMinutes(1);
    private static final Duration JOIN_INITIAL_BACKOFF = Duration.ofMillis(100);
    private static final Duration JOIN_MAX_BACKOFF = Duration.ofSeconds(7);
    /** Where the API serves its public signing keys (the kubelet endpoint checks the API server's tokens). */
    private static final String JWKS_PATH = "/openid/v1/jwks";

    /** Makes the node's runtime once the pod CIDR is known (the registered Node's, which may predate the config). */
    public interface RuntimeFactory {
        PodRuntime create(String podCidr);

        /**
         * The same, for a runtime that reads the API as the node (ConfigMaps and Secrets its pods refer to);
         * {@code client} is the node's own.
         */
        default PodRuntime create(String podCidr, KubeClient client) {
            return create(podCidr);
        }

        /** The same, for a runtime that records the kubelet's events about pods and containers in {@code events}. */
        default PodRuntime create(String podCidr, KubeClient client, PodEvents events) {
            return create(podCidr, client);
        }
    }

    private final ApiEndpoint api;
    private final String bootstrapToken;
    private final NodeConfig config;
    private final RuntimeFactory runtimes;
    private final NodeSystemInfo systemInfo;
    private final Clock clock;
    private final int podWorkers;
    private volatile NodeCredential credential;
    private volatile String nodeUid = "";
    private volatile ProxyConfig proxyConfig;
    private volatile ServiceProxier proxier;
    private volatile PodRuntime runtime;
    private volatile PodSync pods;
    private volatile PodEvents events;
    private volatile Thread heartbeatThread;
    private volatile boolean closed;
    private volatile DnsSettings dnsSettings;
    private volatile ClusterDns clusterDns;
    private volatile Consumer<InetSocketAddress> dnsServing = address -> { };
    private volatile InetSocketAddress kubeletListen;
    private volatile KubeletServer kubeletServer;
    private volatile IntUnaryOperator kubeletPortPublished = IntUnaryOperator.identity();
    /** The port the Node reports for its kubelet endpoint (the bound one unless published otherwise). */
    private volatile int kubeletPort;
    private volatile Path rootDir;
    private volatile SummaryProvider summaries;

    /**
     * @param systemInfo what the node reports in {@code status.nodeInfo}
     * @param podWorkers how many pods the agent syncs at once
     */
    public NodeAgent(ApiEndpoint api, String bootstrapToken, NodeConfig config, RuntimeFactory runtimes,
                     NodeSystemInfo systemInfo, Clock clock, int podWorkers) {
        this.api = api;
        this.bootstrapToken = bootstrapToken;
        this.config = config;
        this.runtimes = runtimes;
        this.systemInfo = systemInfo;
        this.clock = clock;
        this.podWorkers = podWorkers;
    }

    /**
     * Makes the agent serve cluster DNS once started (call before {@link #start}). Off unless called: simulated
     * nodes share one JVM by the hundred, and one DNS server for the cluster is what they need at most.
     */
    public NodeAgent serveClusterDns(DnsSettings settings) {
        return serveClusterDns(settings, address -> { });
    }

    /**
     * The same, for an agent whose pods reach its DNS at another address than it listens on: once it serves,
     * before any pod starts, {@code serving} is given the bound address and makes it reachable (e.g. a forward from
     * the node's address, the kubelet's {@code --cluster-dns}).
     */
    public NodeAgent serveClusterDns(DnsSettings settings, Consumer<InetSocketAddress> serving) {
        this.dnsSettings = settings;
        this.dnsServing = serving;
        return this;
    }

    /** The cluster DNS this agent serves, once started with {@link #serveClusterDns}. */
    public Optional<ClusterDns> clusterDns() {
        return Optional.ofNullable(clusterDns);
    }

    /**
     * Makes the agent serve the kubelet endpoint (logs, exec, port-forward, the stats summary) on {@code listen}
     * (port 0: any free one) once started, and report its port on the Node; call before {@link #start}. Off unless
     * called. {@code rootDir} is the agent's state directory (the kubelet's {@code --root-dir}), whose file system
     * the summary reports as the node's.
     */
    public NodeAgent serveKubeletApi(InetSocketAddress listen, Path rootDir) {
        return serveKubeletApi(listen, rootDir, IntUnaryOperator.identity());
    }

    /**
     * The same, for an agent whose endpoint is reached at another port than it listens on: once bound,
     * {@code published} is given the bound port, makes it reachable (e.g. a forward from the node's address) and
     * returns the port the Node reports.
     */
    public NodeAgent serveKubeletApi(InetSocketAddress listen, Path rootDir, IntUnaryOperator published) {
        this.kubeletListen = listen;
        this.rootDir = rootDir;
        this.kubeletPortPublished = published;
        return this;
    }

    /** The kubelet endpoint, once started with {@link #serveKubeletApi}. */
    public Optional<KubeletServer> kubeletServer() {
        return Optional.ofNullable(kubeletServer);
    }

    /** Whether the agent runs (started and not closed). */
    public boolean running() {
        return heartbeatThread != null && !closed;
    }

    /**
     * Also runs the service proxy (kube-proxy's role: nftables rules for Services) with {@code config} once the
     * agent has joined; call before {@link #start}. Off unless called (simulated nodes program nothing).
     */
    public NodeAgent withServiceProxy(ProxyConfig config) {
        this.proxyConfig = config;
        return this;
    }

    /** The service proxy, or null when none runs. */
    public ServiceProxier serviceProxier() {
        return proxier;
    }

    /**
     * Joins the cluster, retrying with back-off (0.1 s doubling to 7 s) until it has or {@code timeout} passed, then
     * starts heartbeating and syncing pods. Throws the last failure when the time is up.
     */
    public synchronized void start(Duration timeout) throws InterruptedException {
        if (closed || heartbeatThread != null) {
            throw new IllegalStateException("node agent " + config.name() + " was started or closed already");
        }
        Instant deadline = Instant.now().plus(timeout);
        Duration backoff = JOIN_INITIAL_BACKOFF;
        if (kubeletListen != null && kubeletServer == null) {
            try {
                Files.createDirectories(rootDir); // as the kubelet makes its --root-dir: the summary measures its fs
                // bound before joining: the Node is registered with its port and certificate
                kubeletServer = KubeletServer.bind(config.name(), kubeletListen, List.of(config.address()), clock);
                kubeletPort = kubeletPortPublished.applyAsInt(kubeletServer.port());
            } catch (IOException e) {
                throw new UncheckedIOException("node " + config.name() + " cannot serve the kubelet endpoint on "
                        + kubeletListen, e);
            }
        }
        Heartbeat heartbeat;
        while (true) {
            try {
                heartbeat = join();
                break;
            } catch (RuntimeException e) {
                if (Instant.now().plus(backoff).isAfter(deadline)) {
                    throw e;
                }
                LOG.atWarn().addKeyValue("node", config.name()).addKeyValue("retryInMillis", backoff.toMillis())
                        .log("joining the cluster failed: " + e.getMessage());
                Thread.sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(JOIN_MAX_BACKOFF) > 0 ? JOIN_MAX_BACKOFF
                        : backoff.multipliedBy(2);
            }
        }
        KubeClient client = api.client(credential, USER_AGENT);
        if (dnsSettings != null) {
            try {
                clusterDns = ClusterDns.start(client, dnsSettings, config.name(), clock);
            } catch (IOException e) {
                throw new UncheckedIOException("node " + config.name() + " cannot serve cluster DNS on "
                        + dnsSettings.listen(), e);
            }
            dnsServing.accept(clusterDns.address());
        }
        if (kubeletServer != null) {
            summaries = new SummaryProvider(config.name(), rootDir, () -> runtime, HostUsage.system(), clock);
            summaries.start(SummaryProvider.SAMPLE_INTERVAL);
            kubeletServer.start(() -> client.getPath(JWKS_PATH), () -> runtime, summaries);
        }
        pods = new PodSync(client, config.name(), runtime, new PodStatusBuilder(config.address()), clock, events);
        pods.start(podWorkers);
        if (proxyConfig != null) {
            proxier = new ServiceProxier(client, proxyConfig);
            proxier.start();
        }
        Heartbeat beating = heartbeat;
        heartbeatThread = Thread.ofVirtual().name("node-" + config.name() + "-heartbeat").start(() -> beat(beating));
        LOG.atInfo().addKeyValue("node", config.name()).addKeyValue("runtime", runtime.version())
                .log("node agent started");
    }

    /** Credential, Node, Lease and first status; the heartbeat that keeps them. */
    private Heartbeat join() {
        NodeCredential joined = new NodeCredential(api, config.name(), bootstrapToken, null, clock,
                ThreadLocalRandom.current()::nextDouble);
        joined.obtain();
        credential = joined;
        KubeClient client = api.client(joined, USER_AGENT);
        events = new KubeletEvents(client, config.name(), clock);
        // The Node is registered with the runtime's health, so the runtime is made first, on the configured pod
        // CIDR; a Node registered earlier with another one keeps it (it is immutable), and the runtime follows.
        if (runtime == null) {
            runtime = runtimes.create(config.podCidr(), client, events);
        }
        NodeStatusReporter status = new NodeStatusReporter(client, config.name(),
                new NodeStatusBuilder(config, systemInfo, kubeletPort),
                () -> runtime.health(), clock, STATUS_REPORT_FREQUENCY);
        ObjectNode node = new NodeRegistration(client, config, kubeletServer == null ? Map.of()
                : Map.of(KubeletApi.SERVING_CERTIFICATE_ANNOTATION, kubeletServer.certificateSha256()))
                .register(status.initialStatus());
        nodeUid = Meta.uid(node);
        String podCidr = NodeRegistration.podCidr(node);
        if (!podCidr.isEmpty() && !podCidr.equals(config.podCidr())) {
            runtime.close();
            runtime = runtimes.create(podCidr, client, events);
        }
        status.registered(node);
        NodeLease lease = new NodeLease(client, config.name(), () -> nodeUid, clock);
        lease.renew();
        status.sync();
        return new Heartbeat(config.name(), clock, ThreadLocalRandom.current()::nextDouble, joined, lease, status);
    }

    private void beat(Heartbeat heartbeat) {
        while (!closed) {
            Duration wait = heartbeat.tick();
            try {
                Thread.sleep(wait.isZero() ? Duration.ofMillis(1) : wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops heartbeating and syncing pods; the Node, Lease and pods stay as they are. */
    @Override
    public void close() {
        Thread beating;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            beating = heartbeatThread;
        }
        if (beating != null) {
            beating.interrupt();
            try {
                beating.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (kubeletServer != null) {
            kubeletServer.close();
        }
        if (summaries != null) {
            summaries.close();
        }
        if (proxier != null) {
            proxier.close();
        }
        if (pods != null) {
            pods.close();
        }
        if (clusterDns != null) {
            clusterDns.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        LOG.atInfo().addKeyValue("node", config.name()).log("node agent stopped");
    }
}
