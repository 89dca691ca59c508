package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.node.cri.v1.DNSConfig;
import dev.kumo.node.dns.DnsSettings;
import dev.kumo.node.dns.PodDns;
import dev.kumo.node.dns.ResolvConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pod's resolver configuration as the kubelet forms it ({@link PodDns}) in CRI's words, for its sandbox. Without a
 * cluster DNS address (the kubelet's {@code --cluster-dns}), ClusterFirst falls back to the host's configuration,
 * with the warning the kubelet logs then.
 */
final class SandboxDns {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxDns.class);

    private SandboxDns() {
    }

    static DNSConfig of(JsonNode pod, Path hostResolvConf) {
        return of(pod, "", hostResolvConf);
    }

    static DNSConfig of(JsonNode pod, String clusterDns, Path hostResolvConf) {
        ResolvConf host = Files.exists(hostResolvConf) ? ResolvConf.read(hostResolvConf) : null;
        PodDns.Config formed = PodDns.resolvConf(pod, clusterDns, DnsSettings.DEFAULT_ZONE, host);
        for (PodDns.Warning warning : formed.warnings()) {
            LOG.atDebug().addKeyValue("pod", pod.path("metadata").path("namespace").asText() + "/"
                    + pod.path("metadata").path("name").asText()).addKeyValue("reason", warning.reason())
                    .log(warning.message());
        }
        ResolvConf conf = formed.resolvConf();
        return DNSConfig.newBuilder().addAllServers(conf.nameservers()).addAllSearches(conf.searches())
                .addAllOptions(conf.options()).build();
    }
}
