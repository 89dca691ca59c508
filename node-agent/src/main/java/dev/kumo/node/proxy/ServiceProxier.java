package dev.kumo.node.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.Informer;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * kube-proxy's role on one node: informers on Services and EndpointSlices (all namespaces, without those another
 * proxy serves or headless ones, as kube-proxy selects them) keep the rules of table {@code ip kumo} current.
 * Changes are coalesced: the first change wakes the sync loop, which waits {@link ProxyConfig#coalesce()} for the
 * rest of a burst, renders the whole table and applies it with one {@code nft -f -} (atomic: the table is deleted
 * and built again in the same transaction). A ruleset equal to the one applied last is not applied again; ClientIP
 * affinity survives the rebuilds ({@link AffinityCarryOver}). A failed apply is logged with the services its
 * bad lines belong to and retried with back-off (1 s doubling to 30 s). A quiet proxier checks every
 * {@link ProxyConfig#repairPeriod()} that its table is still there. {@link #close()} removes the table.
 */
public final class ServiceProxier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxier.class);
    /** kube-proxy's informer selector: not another proxy's Services, not headless ones (nor their slices). */
    static final String LABEL_SELECTOR = "!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless";
    private static final Duration INITIAL_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /** One applied ruleset: when its changes were first seen, when it was in place, and what it was. */
    public record Sync(long sequence, long changeSeenNanos, long appliedNanos, Instant appliedAt, Ruleset ruleset) {
    }

    private final ProxyConfig config;
    private final Nft nft;
    private final HostSysctls sysctls;
    private final RulesetRenderer renderer;
    private final Informer services;
    private final Informer slices;
    private final List<Thread> threads = new ArrayList<>();
    private final Object signal = new Object();
    private boolean dirty;
    private long firstChangeNanos;
    private volatile boolean closed;
    private volatile Sync lastSync;
    /** Set when the table must be applied even though the rules did not change (it was removed). */
    private volatile boolean forceApply;
    private long sequence;

    public ServiceProxier(KubeClient client, ProxyConfig config) {
        this.config = config;
        HostCommand host = new HostCommand(config.networkNamespace());
        this.nft = new Nft(host);
        this.sysctls = new HostSysctls(host);
        this.renderer = new RulesetRenderer(config);
        Informer.Handler changed = new Informer.Handler() {
            @Override
            public void added(ObjectNode object) {
                changed();
            }

            @Override
            public void updated(ObjectNode previous, ObjectNode object) {
                changed();
            }

            @Override
            public void deleted(ObjectNode last) {
                changed();
            }
        };
        this.services = new Informer(client, ResourceType.SERVICES, "", LABEL_SELECTOR, "", changed);
        this.slices = new Informer(client, ResourceType.ENDPOINT_SLICES, "", LABEL_SELECTOR, "", changed);
    }

    /** Enables forwarding, then starts the informers and the sync loop on virtual threads. */
    public synchronized void start() throws InterruptedException {
        sysctls.enable();
        String node = config.nodeName();
        threads.add(Thread.ofVirtual().name("proxy-" + node + "-services").start(services::run));
        threads.add(Thread.ofVirtual().name("proxy-" + node + "-endpointslices").start(slices::run));
        threads.add(Thread.ofVirtual().name("proxy-" + node + "-sync").start(this::syncLoop));
    }

    /** The last ruleset applied, or null before the first sync. */
    public Sync lastSync() {
        return lastSync;
    }

    private void changed() {
        synchronized (signal) {
            if (!dirty) {
                dirty = true;
                firstChangeNanos = System.nanoTime();
            }
            signal.notifyAll();
        }
    }

    private void syncLoop() {
        try {
            // as kube-proxy: no rules from a partial picture after a restart
            while (!services.awaitSynced(Duration.ofSeconds(1)) || !slices.awaitSynced(Duration.ofSeconds(1))) {
                if (closed) {
                    return;
                }
            }
            changed();
            Duration retry = INITIAL_RETRY;
            while (!closed) {
                long changeSeen;
                if (!awaitChange()) {
                    repairIfGone();
                    continue;
                }
                Thread.sleep(config.coalesce());
                synchronized (signal) {
                    dirty = false;
                    changeSeen = firstChangeNanos;
                }
                if (sync(changeSeen)) {
                    retry = INITIAL_RETRY;
                } else {
                    Thread.sleep(retry);
                    retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
                    changed();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Waits for a change; false when the repair period passed without one. */
    private boolean awaitChange() throws InterruptedException {
        long deadline = System.nanoTime() + config.repairPeriod().toNanos();
        synchronized (signal) {
            while (!dirty) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
            return true;
        }
    }

    /** A table someone removed (a flush of the ruleset, a firewall reload) is built again. */
    private void repairIfGone() throws InterruptedException {
        if (lastSync == null) {
            return;
        }
        try {
            if (nft.hasTable("ip", RulesetRenderer.TABLE)) {
                return;
            }
            LOG.atWarn().addKeyValue("node", config.nodeName()).addKeyValue("netns", config.networkNamespace())
                    .log("table ip " + RulesetRenderer.TABLE + " is gone; building it again");
            forceApply = true;
            changed();
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("node", config.nodeName()).addKeyValue("netns", config.networkNamespace())
                    .setCause(e).log("cannot check table ip " + RulesetRenderer.TABLE);
        }
    }

    /** Renders and applies the whole table; false when nft refused it. */
    private boolean sync(long changeSeenNanos) throws InterruptedException {
        List<ObjectNode> serviceList = services.list();
        List<ServicePort> ports = new ArrayList<>();
        for (ObjectNode service : serviceList) {
            ports.addAll(ServicePorts.of(service));
        }
        List<ObjectNode> sliceList = slices.list();
        Ruleset ruleset = renderer.render(ports, EndpointSlices.byServicePort(sliceList));
        Sync previous = lastSync;
        if (previous != null && previous.ruleset().text().equals(ruleset.text()) && !forceApply) {
            return true;
        }
        long started = System.nanoTime();
        Ruleset applying = withRememberedAffinity(ruleset);
        HostCommand.Result applied;
        try {
            applied = nft.apply(applying.text());
            if (closed) {
                return true; // close() removes the table once this apply is over
            }
        } catch (IOException e) {
            LOG.atError().addKeyValue("node", config.nodeName()).addKeyValue("netns", config.networkNamespace())
                    .setCause(e).log("cannot run nft to apply the Service rules");
            return false;
        }
        if (!applied.succeeded()) {
            Set<String> culprits = applying.ownersOfErrors(applied.output());
            LOG.atError().addKeyValue("node", config.nodeName()).addKeyValue("netns", config.networkNamespace())
                    .addKeyValue("servicePorts", culprits.isEmpty() ? "(the table's own rules)" : String.join(", ", culprits))
                    .log("nft refused the Service rules; the previous rules stay: " + applied.output());
            return false;
        }
        long done = System.nanoTime();
        forceApply = false;
        synchronized (this) {
            sequence++;
            lastSync = new Sync(sequence, changeSeenNanos, done, Instant.now(), ruleset);
        }
        LOG.atInfo().addKeyValue("node", config.nodeName()).addKeyValue("services", serviceList.size())
                .addKeyValue("servicePorts", ports.size()).addKeyValue("endpointSlices", sliceList.size())
                .addKeyValue("lines", ruleset.lines().size()).addKeyValue("applyMillis", (done - started) / 1_000_000)
                .addKeyValue("sinceChangeMillis", (done - changeSeenNanos) / 1_000_000).log("applied Service rules");
        return true;
    }

    /** The ruleset plus the clients its affinity sets remember now (see {@link AffinityCarryOver}). */
    private Ruleset withRememberedAffinity(Ruleset ruleset) throws InterruptedException {
        if (!AffinityCarryOver.needed(ruleset)) {
            return ruleset;
        }
        String problem;
        try {
            HostCommand.Result sets = nft.listSetsJson();
            if (sets.succeeded()) {
                return AffinityCarryOver.restore(ruleset, AffinityCarryOver.parse(sets.output()));
            }
            problem = sets.output();
        } catch (IOException e) {
            problem = e.toString();
        }
        LOG.atWarn().addKeyValue("node", config.nodeName()).addKeyValue("netns", config.networkNamespace())
                .log("cannot read the affinity sets; ClientIP affinity starts over: " + problem);
        return ruleset;
    }

    /** Stops watching and removes the table, so that no stale rule outlives the proxier. */
    @Override
    public void close() {
        List<Thread> stopping;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = new ArrayList<>(threads);
            threads.clear();
        }
        services.close();
        slices.close();
        for (Thread thread : stopping) {
            thread.interrupt();
        }
        try {
            for (Thread thread : stopping) {
                thread.join(Duration.ofSeconds(5));
            }
            HostCommand.Result removed = nft.apply(RulesetRenderer.deleteTable());
            if (!removed.succeeded()) {
                LOG.atError().addKeyValue("node", config.nodeName()).addKeyValue("netns", config.networkNamespace())
                        .log("cannot remove table ip " + RulesetRenderer.TABLE + ": " + removed.output());
            }
        } catch (IOException e) {
            LOG.atError().addKeyValue("node", config.nodeName()).setCause(e)
                    .log("cannot run nft to remove table ip " + RulesetRenderer.TABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
