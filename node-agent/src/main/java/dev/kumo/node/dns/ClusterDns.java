package dev.kumo.node.dns;

import dev.kumo.apimachinery.client.KubeClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Cluster DNS on one node (kube-dns/CoreDNS's role, served by the agent itself): {@link ClusterRecordsFeed} keeps
 * the records, {@link DnsServer} answers from them and forwards the rest upstream.
 */
public final class ClusterDns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDns.class);
    /** How long serving waits for the first lists (CoreDNS's startup wait), rather than answer NXDOMAIN for all. */
    static final Duration SYNC_WAIT = Duration.ofSeconds(5);

    private final ClusterRecordsFeed feed;
    private final DnsServer server;

    private ClusterDns(ClusterRecordsFeed feed, DnsServer server) {
        this.feed = feed;
        this.server = server;
    }

    /**
     * Starts watching the cluster through {@code client} and, once the first lists are in (or after
     * {@link #SYNC_WAIT}), serving as {@code settings} say.
     */
    public static ClusterDns start(KubeClient client, DnsSettings settings, String owner, Clock clock)
            throws IOException, InterruptedException {
        ClusterRecords records = new ClusterRecords(clock);
        InetAddress listening = settings.listen().getAddress();
        List<InetAddress> own = listening == null || listening.isAnyLocalAddress() ? List.of() : List.of(listening);
        ZoneAnswers zone = new ZoneAnswers(records, Name.fromConstantString(settings.zone() + "."),
                settings.ttl().toSeconds(), settings.podRecords(), own);
        List<InetSocketAddress> upstreams = settings.upstreams().stream()
                .filter(server -> !isItself(server, settings.listen())).toList();
        if (upstreams.size() < settings.upstreams().size()) {
            LOG.atWarn().addKeyValue("node", owner).addKeyValue("address", settings.listen())
                    .log("an upstream resolver is this server itself: left out, so that queries do not loop");
        }
        Upstream upstream = new Upstream(upstreams, settings.upstreamTimeout());
        if (upstream.isEmpty()) {
            LOG.atWarn().addKeyValue("node", owner)
                    .log("no upstream resolver: names outside the cluster will be answered SERVFAIL");
        }
        ClusterRecordsFeed feed = ClusterRecordsFeed.start(client, records, settings.podRecords(), owner);
        try {
            if (!feed.awaitSynced(SYNC_WAIT)) {
                LOG.atWarn().addKeyValue("node", owner).addKeyValue("waitedSeconds", SYNC_WAIT.toSeconds())
                        .log("cluster DNS starts before its first lists are in: names may be missing for a while");
            }
            DnsServer server = DnsServer.start(settings.listen(), new QueryHandler(zone, upstream));
            LOG.atInfo().addKeyValue("node", owner).addKeyValue("address", server.address())
                    .addKeyValue("zone", settings.zone()).addKeyValue("upstreams", upstream)
                    .addKeyValue("ttlSeconds", settings.ttl().toSeconds())
                    .addKeyValue("podRecords", settings.podRecords()).log("cluster DNS started");
            return new ClusterDns(feed, server);
        } catch (IOException | InterruptedException | RuntimeException e) {
            feed.close();
            throw e;
        }
    }

    /** Whether {@code upstream} is where this server listens (a host resolv.conf naming the node's own DNS). */
    static boolean isItself(InetSocketAddress upstream, InetSocketAddress listen) {
        if (upstream.getPort() != listen.getPort()) {
            return false;
        }
        InetAddress address = listen.getAddress();
        return upstream.getAddress().equals(address)
                || address.isAnyLocalAddress() && upstream.getAddress().isLoopbackAddress();
    }

    /** Where it serves, UDP and TCP. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** Waits until the records hold the first list of everything watched. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return feed.awaitSynced(timeout);
    }

    @Override
    public void close() {
        server.close();
        feed.close();
    }
}
