package dev.kumo.node.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a node serves cluster DNS.
 *
 * @param listen where it serves, UDP and TCP (port 0: a free port)
 * @param zone the cluster domain, {@code cluster.local} by default (the kubelet's {@code clusterDomain})
 * @param upstreams where names outside the zone go
 * @param ttl the TTL of the zone's answers, negative ones included
 * @param podRecords how {@code <a-b-c-d>.<ns>.pod.<zone>} is answered
 * @param upstreamTimeout how long each upstream gets to answer
 */
public record DnsSettings(InetSocketAddress listen, String zone, List<InetSocketAddress> upstreams, Duration ttl,
                          PodRecords podRecords, Duration upstreamTimeout) {
    public static final String DEFAULT_ZONE = "cluster.local";
    /**
     * CoreDNS's default TTL for the kubernetes plugin. kubeadm's Corefile raises it to 30 s, but it also puts a
     * 30 s cache in front; here answers come straight from the informers, so a short TTL lets clients that cache
     * (the JVM, nscd, Go's resolver does not) see a deleted or new Service within seconds, NXDOMAIN included (its
     * SOA minimum is the same TTL), at the price of more queries to a server on the same node.
     */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(2);
    /** The DNS port of upstream resolvers named in resolv.conf. */
    private static final int DNS_PORT = 53;

    public DnsSettings {
        Objects.requireNonNull(listen, "listen");
        zone = zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone;
        upstreams = List.copyOf(upstreams);
        if (ttl.isNegative() || ttl.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a DNS TTL is between 0 and 2^31-1 seconds, not " + ttl);
        }
    }

    /**
     * Serving on {@code listen} for {@code cluster.local}, forwarding to the nameservers of the host's
     * {@code /etc/resolv.conf}, with pod records from the name alone (kubeadm's {@code pods insecure}).
     */
    public static DnsSettings of(InetSocketAddress listen) {
        return new DnsSettings(listen, DEFAULT_ZONE, upstreamsOf(ResolvConf.read(ResolvConf.HOST_PATH)), DEFAULT_TTL,
                PodRecords.INSECURE, DEFAULT_UPSTREAM_TIMEOUT);
    }

    /** The nameservers of {@code resolvConf}, on the DNS port. */
    public static List<InetSocketAddress> upstreamsOf(ResolvConf resolvConf) {
        return resolvConf.nameservers().stream().map(server -> new InetSocketAddress(server, DNS_PORT)).toList();
    }

    public DnsSettings withUpstreams(List<InetSocketAddress> servers) {
        return new DnsSettings(listen, zone, servers, ttl, podRecords, upstreamTimeout);
    }

    public DnsSettings withPodRecords(PodRecords mode) {
        return new DnsSettings(listen, zone, upstreams, ttl, mode, upstreamTimeout);
    }

    public DnsSettings withTtl(Duration value) {
        return new DnsSettings(listen, zone, upstreams, value, podRecords, upstreamTimeout);
    }
}
