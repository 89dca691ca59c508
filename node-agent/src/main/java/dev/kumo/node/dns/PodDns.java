package dev.kumo.node.dns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.meta.Meta;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pod's resolver configuration as the kubelet forms it ({@code Configurer.GetPodDNS} in
 * {@code pkg/kubelet/network/dns}), for the runtime to write as the sandbox's {@code /etc/resolv.conf}:
 *
 * <ul>
 *   <li>{@code ClusterFirst} (unless the pod is on the host network) and {@code ClusterFirstWithHostNet}: the
 *   cluster DNS as the only nameserver, search {@code <ns>.svc.<zone> svc.<zone> <zone>} then the host's search
 *   domains, {@code options ndots:5}; without a cluster DNS address, {@code Default} with a warning;</li>
 *   <li>{@code Default}: the host's configuration (without one, the local nameserver and search {@code .});</li>
 *   <li>{@code None}: nothing but the pod's {@code dnsConfig}.</li>
 * </ul>
 * A pod's {@code dnsConfig} is then appended: nameservers and searches without duplicates, options merged by name
 * with the pod's values winning. Finally the kubelet's limits apply: 3 nameservers, 32 search domains of at most
 * 253 characters, 2048 characters of search line (the expanded DNS config, GA since 1.28).
 */
public final class PodDns {
    /** The kubelet's default options for cluster DNS. */
    static final List<String> DEFAULT_OPTIONS = List.of("ndots:5");
    static final int MAX_NAMESERVERS = 3;
    static final int MAX_SEARCH_PATHS = 32;
    static final int MAX_SEARCH_LIST_CHARS = 2048;
    static final int MAX_SEARCH_LENGTH = 253;

    /** A warning the kubelet records as an event ({@code reason} is its reason: DNSConfigForming, MissingClusterDNS). */
    public record Warning(String reason, String message) {
    }

    /** The pod's resolver configuration and what the kubelet would warn about while forming it. */
    public record Config(ResolvConf resolvConf, List<Warning> warnings) {
        public Config {
            warnings = List.copyOf(warnings);
        }
    }

    private PodDns() {
    }

    /**
     * The resolver configuration of {@code pod}.
     *
     * @param clusterDnsIp the cluster DNS server's address (the kubelet's {@code clusterDNS}); null or "" if none
     * @param zone the cluster domain, e.g. {@code cluster.local}
     * @param hostResolvConf the host's configuration (the kubelet's {@code --resolv-conf}); null if there is none
     */
    public static Config resolvConf(JsonNode pod, String clusterDnsIp, String zone, ResolvConf hostResolvConf) {
        JsonNode spec = pod.path("spec");
        List<Warning> warnings = new ArrayList<>();
        List<String> servers;
        List<String> searches;
        List<String> options;
        String policy = spec.path("dnsPolicy").asText("ClusterFirst");
        boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
        boolean cluster = switch (policy) {
            case "ClusterFirstWithHostNet" -> true;
            case "ClusterFirst" -> !hostNetwork;
            case "Default", "None" -> false;
            default -> {
                warnings.add(new Warning("DNSConfigForming",
                        "invalid DNSPolicy=" + policy + "; falling back to \"ClusterFirst\""));
                yield true;
            }
        };
        ResolvConf host = hostResolvConf != null ? hostResolvConf
                : new ResolvConf(List.of("127.0.0.1"), List.of("."), List.of());
        if (policy.equals("None")) {
            servers = List.of();
            searches = List.of();
            options = List.of();
        } else if (cluster && clusterDnsIp != null && !clusterDnsIp.isEmpty()) {
            servers = List.of(clusterDnsIp);
            List<String> clusterSearch = new ArrayList<>(List.of(Meta.namespace(pod) + ".svc." + zone, "svc." + zone,
                    zone));
            clusterSearch.addAll(hostResolvConf != null ? hostResolvConf.searches() : List.of());
            searches = distinct(clusterSearch);
            options = DEFAULT_OPTIONS;
        } else {
            if (cluster) {
                warnings.add(new Warning("MissingClusterDNS", "pod: \"" + Meta.name(pod) + "_" + Meta.namespace(pod)
                        + "\". kubelet does not have ClusterDNS IP configured and cannot create Pod using \""
                        + policy + "\" policy. Falling back to \"Default\" policy."));
            }
            servers = host.nameservers();
            searches = host.searches();
            options = host.options();
        }
        JsonNode dnsConfig = spec.path("dnsConfig");
        if (dnsConfig.isObject()) {
            servers = distinct(concat(servers, strings(dnsConfig.path("nameservers"))));
            searches = distinct(concat(searches, strings(dnsConfig.path("searches"))));
            options = mergeOptions(options, dnsConfig.path("options"));
        }
        return new Config(new ResolvConf(fitNameservers(servers, warnings), fitSearches(searches, warnings), options),
                warnings);
    }

    /**
     * The kubelet's {@code mergeDNSOptions}: options by name, the pod's values overriding. The kubelet builds them
     * in a Go map (so in no particular order); here existing options keep their place and new ones follow.
     */
    private static List<String> mergeOptions(List<String> existing, JsonNode podOptions) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (String option : existing) {
            int colon = option.indexOf(':');
            if (colon >= 0) {
                merged.put(option.substring(0, colon), option.substring(colon + 1));
            } else {
                merged.put(option, "");
            }
        }
        for (JsonNode option : podOptions) {
            merged.put(option.path("name").asText(""), option.path("value").asText(""));
        }
        List<String> options = new ArrayList<>();
        merged.forEach((name, value) -> options.add(value.isEmpty() ? name : name + ":" + value));
        return options;
    }

    private static List<String> fitNameservers(List<String> servers, List<Warning> warnings) {
        if (servers.size() <= MAX_NAMESERVERS) {
            return servers;
        }
        List<String> kept = servers.subList(0, MAX_NAMESERVERS);
        warnings.add(new Warning("DNSConfigForming", "Nameserver limits were exceeded, some nameservers have been "
                + "omitted, the applied nameserver line is: " + String.join(" ", kept)));
        return kept;
    }

    /** The kubelet's {@code formDNSSearchFitsLimits}. */
    private static List<String> fitSearches(List<String> searches, List<Warning> warnings) {
        boolean exceeded = false;
        List<String> kept = new ArrayList<>(searches);
        if (kept.size() > MAX_SEARCH_PATHS) {
            kept = new ArrayList<>(kept.subList(0, MAX_SEARCH_PATHS));
            exceeded = true;
        }
        // glibc 2.28 aborts on a search domain over 255 characters: such ones are dropped.
        exceeded |= kept.removeIf(search -> search.length() > MAX_SEARCH_LENGTH);
        int length = String.join(" ", kept).length();
        if (length > MAX_SEARCH_LIST_CHARS) {
            while (!kept.isEmpty() && length > MAX_SEARCH_LIST_CHARS) {
                length -= kept.removeLast().length() + 1;
            }
            exceeded = true;
        }
        if (exceeded) {
            warnings.add(new Warning("DNSConfigForming", "Search Line limits were exceeded, some search paths have "
                    + "been omitted, the applied search line is: " + String.join(" ", kept)));
        }
        return kept;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
