package dev.kumo.node.dns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.meta.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What cluster DNS answers from: the Services, EndpointSlices and (for verified pod records) Pods of the cluster,
 * kept as the few fields DNS needs, indexed by namespace and service. Fed by {@link ClusterRecordsFeed}'s informers
 * (or directly, in tests): one writer per kind (an informer calls its handler on its one thread), any number of
 * concurrent readers (queries). Names are kept lower-case: DNS compares without case.
 */
public final class ClusterRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRecords.class);
    /** The label that ties an EndpointSlice to its Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /** A service port, or an EndpointSlice port (the pods' port); {@code name} is "" for an unnamed one. */
    public record Port(String name, String protocol, int port) {
    }

    /** What DNS needs of a Service. {@code clusterIps} is empty for a headless or an ExternalName service. */
    public record Service(String namespace, String name, String type, boolean headless, List<InetAddress> clusterIps,
                          String externalName, boolean publishNotReadyAddresses, List<Port> ports) {
    }

    /** One endpoint of a slice: its addresses, its hostname ("" if none) and whether it is ready. */
    public record Endpoint(List<InetAddress> addresses, String hostname, boolean ready) {
    }

    /** What DNS needs of an EndpointSlice. */
    public record Slice(String namespace, String name, String service, List<Endpoint> endpoints, List<Port> ports) {
    }

    private final Clock clock;
    /** namespace → name → service. */
    private final Map<String, Map<String, Service>> services = new ConcurrentHashMap<>();
    /** namespace/service → slice name → slice. */
    private final Map<String, Map<String, Slice>> slices = new ConcurrentHashMap<>();
    /** namespace/slice name → namespace/service, so that a slice whose label changed leaves its old service. */
    private final Map<String, String> sliceOwners = new ConcurrentHashMap<>();
    /** pod IP → the namespace/name of the pods that have it. */
    private final Map<String, Set<String>> podsByIp = new ConcurrentHashMap<>();
    /** namespace/name → the pod's IPs. */
    private final Map<String, List<String>> podIps = new ConcurrentHashMap<>();
    /** namespace → the names of its pods. */
    private final Map<String, Set<String>> podsByNamespace = new ConcurrentHashMap<>();
    private volatile long modified;

    public ClusterRecords(Clock clock) {
        this.clock = clock;
        this.modified = clock.instant().getEpochSecond();
    }

    public void putService(JsonNode object) {
        Service service = service(object);
        services.computeIfAbsent(service.namespace(), namespace -> new ConcurrentHashMap<>())
                .put(service.name(), service);
        touch();
    }

    public void removeService(JsonNode object) {
        String namespace = lower(Meta.namespace(object));
        Map<String, Service> inNamespace = services.get(namespace);
        if (inNamespace != null) {
            inNamespace.remove(lower(Meta.name(object)));
            services.computeIfPresent(namespace, (key, names) -> names.isEmpty() ? null : names);
        }
        touch();
    }

    public void putSlice(JsonNode object) {
        Slice slice = slice(object);
        String sliceKey = slice.namespace() + "/" + slice.name();
        String owner = slice.namespace() + "/" + slice.service();
        String previous = sliceOwners.put(sliceKey, owner);
        if (previous != null && !previous.equals(owner)) {
            removeSlice(previous, slice.name());
        }
        if (slice.service().isEmpty()) {
            sliceOwners.remove(sliceKey); // not (or no longer) a service's slice
        } else {
            slices.computeIfAbsent(owner, key -> new ConcurrentHashMap<>()).put(slice.name(), slice);
        }
        touch();
    }

    public void removeSlice(JsonNode object) {
        String sliceKey = lower(Meta.namespace(object)) + "/" + lower(Meta.name(object));
        String owner = sliceOwners.remove(sliceKey);
        if (owner != null) {
            removeSlice(owner, lower(Meta.name(object)));
        }
        touch();
    }

    private void removeSlice(String owner, String sliceName) {
        slices.computeIfPresent(owner, (key, named) -> {
            named.remove(sliceName);
            return named.isEmpty() ? null : named;
        });
    }

    /** A pod's addresses; a pod being deleted has none any more (CoreDNS leaves terminating pods out too). */
    public void putPod(JsonNode object) {
        if (Meta.isBeingDeleted(object)) {
            removePod(object);
            return;
        }
        String namespace = lower(Meta.namespace(object));
        String key = namespace + "/" + lower(Meta.name(object));
        podsByNamespace.computeIfAbsent(namespace, k -> ConcurrentHashMap.newKeySet()).add(key);
        List<String> ips = new ArrayList<>();
        for (JsonNode ip : object.path("status").path("podIPs")) {
            ips.add(ip.path("ip").asText());
        }
        String primary = object.path("status").path("podIP").asText("");
        if (ips.isEmpty() && !primary.isEmpty()) {
            ips.add(primary);
        }
        List<String> canonical = ips.stream().flatMap(ip -> address(ip, object).stream())
                .map(InetAddress::getHostAddress).toList();
        List<String> previous = podIps.put(key, canonical);
        if (previous != null) {
            previous.forEach(ip -> unindexPod(ip, key));
        }
        canonical.forEach(ip -> podsByIp.computeIfAbsent(ip, k -> ConcurrentHashMap.newKeySet()).add(key));
        touch();
    }

    public void removePod(JsonNode object) {
        String namespace = lower(Meta.namespace(object));
        String key = namespace + "/" + lower(Meta.name(object));
        podsByNamespace.computeIfPresent(namespace, (k, keys) -> {
            keys.remove(key);
            return keys.isEmpty() ? null : keys;
        });
        List<String> previous = podIps.remove(key);
        if (previous != null) {
            previous.forEach(ip -> unindexPod(ip, key));
        }
        touch();
    }

    private void unindexPod(String ip, String key) {
        podsByIp.computeIfPresent(ip, (k, keys) -> {
            keys.remove(key);
            return keys.isEmpty() ? null : keys;
        });
    }

    /** The service {@code namespace/name} (lower-case). */
    public Optional<Service> service(String namespace, String name) {
        Map<String, Service> inNamespace = services.get(namespace);
        return inNamespace == null ? Optional.empty() : Optional.ofNullable(inNamespace.get(name));
    }

    /** The slices of the service {@code namespace/name} (lower-case). */
    public Collection<Slice> slices(String namespace, String service) {
        Map<String, Slice> named = slices.get(namespace + "/" + service);
        return named == null ? List.of() : List.copyOf(named.values());
    }

    /** Every service, for reverse lookups. */
    public List<Service> services() {
        List<Service> all = new ArrayList<>();
        services.values().forEach(named -> all.addAll(named.values()));
        return all;
    }

    /**
     * Whether the namespace is known to exist: it holds a service (or, when pods are watched, a pod). Without a
     * watch on namespaces (which a node may not list) this is the closest the node can tell.
     */
    public boolean namespaceKnown(String namespace) {
        return services.containsKey(namespace) || podsByNamespace.containsKey(namespace);
    }

    /** Whether a pod in {@code namespace} has the address {@code ip}. */
    public boolean podHasIp(String namespace, InetAddress ip) {
        Set<String> keys = podsByIp.get(ip.getHostAddress());
        String prefix = namespace + "/";
        return keys != null && keys.stream().anyMatch(key -> key.startsWith(prefix));
    }

    /** When the records last changed, in seconds since the epoch (the zone's SOA serial, as CoreDNS's). */
    public long modified() {
        return modified;
    }

    private void touch() {
        modified = clock.instant().getEpochSecond();
    }

    static Service service(JsonNode object) {
        JsonNode spec = object.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        boolean headless = "None".equals(spec.path("clusterIP").asText(""));
        List<InetAddress> clusterIps = new ArrayList<>();
        if (!headless && !type.equals("ExternalName")) {
            List<String> ips = new ArrayList<>();
            spec.path("clusterIPs").forEach(ip -> ips.add(ip.asText()));
            if (ips.isEmpty() && !spec.path("clusterIP").asText("").isEmpty()) {
                ips.add(spec.path("clusterIP").asText());
            }
            for (String ip : ips) {
                address(ip, object).ifPresent(clusterIps::add);
            }
        }
        return new Service(lower(Meta.namespace(object)), lower(Meta.name(object)), type, headless,
                List.copyOf(clusterIps), spec.path("externalName").asText(""),
                spec.path("publishNotReadyAddresses").asBoolean(false), ports(spec.path("ports")));
    }

    static Slice slice(JsonNode object) {
        String addressType = object.path("addressType").asText("");
        List<Endpoint> endpoints = new ArrayList<>();
        if (addressType.equals("IPv4") || addressType.equals("IPv6")) { // FQDN slices name no address to answer
            for (JsonNode endpoint : object.path("endpoints")) {
                List<InetAddress> addresses = new ArrayList<>();
                for (JsonNode address : endpoint.path("addresses")) {
                    address(address.asText(), object).ifPresent(addresses::add);
                }
                // A missing ready condition means unknown, which consumers take as ready.
                boolean ready = endpoint.path("conditions").path("ready").asBoolean(true);
                endpoints.add(new Endpoint(List.copyOf(addresses), lower(endpoint.path("hostname").asText("")),
                        ready));
            }
        }
        String service = lower(object.path("metadata").path("labels").path(SERVICE_NAME_LABEL).asText(""));
        return new Slice(lower(Meta.namespace(object)), lower(Meta.name(object)), service, List.copyOf(endpoints),
                ports(object.path("ports")));
    }

    private static List<Port> ports(JsonNode array) {
        List<Port> ports = new ArrayList<>();
        for (JsonNode port : array) {
            ports.add(new Port(lower(port.path("name").asText("")), port.path("protocol").asText("TCP"),
                    port.path("port").asInt()));
        }
        return List.copyOf(ports);
    }

    private static Optional<InetAddress> address(String literal, JsonNode object) {
        try {
            return Optional.of(Address.getByAddress(literal));
        } catch (UnknownHostException e) {
            LOG.atWarn().addKeyValue("object", Meta.namespace(object) + "/" + Meta.name(object))
                    .addKeyValue("kind", object.path("kind").asText("")).addKeyValue("address", literal)
                    .log("skipping an address that is not an IP literal");
            return Optional.empty();
        }
    }

    private static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
