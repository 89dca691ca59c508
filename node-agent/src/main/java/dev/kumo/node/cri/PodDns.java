package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.node.cri.v1.DNSConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pod's resolver configuration as the kubelet's DNS configurer makes it ({@code GetPodDNS}). {@code None}: the
 * pod's {@code dnsConfig} alone. {@code Default}, and {@code ClusterFirst} / {@code ClusterFirstWithHostNet} while
 * the node serves no cluster DNS (the kubelet falls back to Default then): the host's resolv.conf, with the pod's
 * {@code dnsConfig} merged in (servers and search domains appended without duplicates, options by name, the pod's
 * winning). Null when the host's configuration applies unchanged: containerd then copies the host's resolv.conf.
 */
final class PodDns {
    /** What resolv.conf allows (glibc's MAXNS) and what the kubelet keeps of search domains. */
    static final int MAX_SERVERS = 3;
    static final int MAX_SEARCHES = 32;

    private PodDns() {
    }

    static DNSConfig of(JsonNode spec, Path hostResolvConf) {
        String policy = spec.path("dnsPolicy").asText("ClusterFirst");
        JsonNode dnsConfig = spec.path("dnsConfig");
        boolean hasDnsConfig = dnsConfig.isObject() && !dnsConfig.isEmpty();
        if (!policy.equals("None") && !hasDnsConfig) {
            return null;
        }
        LinkedHashSet<String> servers = new LinkedHashSet<>();
        LinkedHashSet<String> searches = new LinkedHashSet<>();
        Map<String, String> options = new LinkedHashMap<>();
        if (!policy.equals("None")) {
            readHost(hostResolvConf, servers, searches, options);
        }
        dnsConfig.path("nameservers").forEach(server -> servers.add(server.asText()));
        dnsConfig.path("searches").forEach(search -> searches.add(search.asText()));
        for (JsonNode option : dnsConfig.path("options")) {
            options.put(option.path("name").asText(), option.hasNonNull("value") ? option.path("value").asText()
                    : null);
        }
        DNSConfig.Builder dns = DNSConfig.newBuilder();
        servers.stream().limit(MAX_SERVERS).forEach(dns::addServers);
        searches.stream().limit(MAX_SEARCHES).forEach(dns::addSearches);
        options.forEach((name, value) -> dns.addOptions(value == null ? name : name + ":" + value));
        return dns.build();
    }

    private static void readHost(Path resolvConf, LinkedHashSet<String> servers, LinkedHashSet<String> searches,
                                 Map<String, String> options) {
        List<String> lines;
        try {
            lines = Files.exists(resolvConf) ? Files.readAllLines(resolvConf) : new ArrayList<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host's " + resolvConf, e);
        }
        for (String line : lines) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 2 || fields[0].startsWith("#") || fields[0].startsWith(";")) {
                continue;
            }
            switch (fields[0]) {
                case "nameserver" -> servers.add(fields[1]);
                case "search", "domain" -> {
                    searches.clear(); // the last search or domain line wins, as in the resolver
                    for (int i = 1; i < fields.length; i++) {
                        searches.add(fields[i]);
                    }
                }
                case "options" -> {
                    for (int i = 1; i < fields.length; i++) {
                        int colon = fields[i].indexOf(':');
                        options.put(colon < 0 ? fields[i] : fields[i].substring(0, colon),
                                colon < 0 ? null : fields[i].substring(colon + 1));
                    }
                }
                default -> {
                    // sortlist and the like: not carried into pods, as in the kubelet
                }
            }
        }
    }
}
