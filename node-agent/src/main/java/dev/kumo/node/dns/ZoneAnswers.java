package dev.kumo.node.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * The cluster zone's answers, as the Kubernetes DNS specification (schema 1.1.0) and CoreDNS's {@code kubernetes}
 * plugin give them, computed from {@link ClusterRecords} alone (no I/O):
 *
 * <ul>
 *   <li>{@code <svc>.<ns>.svc.<zone>}: A/AAAA of the cluster IPs; for a headless service, of its ready endpoints
 *   (every endpoint when it publishes not-ready addresses), NXDOMAIN when it has none; CNAME for ExternalName;</li>
 *   <li>{@code <endpoint>.<svc>.<ns>.svc.<zone>}: the endpoint named by its hostname (the pod's
 *   {@code hostname} when its {@code subdomain} is the service) or by its dashed IP;</li>
 *   <li>{@code _<port>._<proto>.<svc>.<ns>.svc.<zone>} SRV: the service's port with the service as target, or for
 *   a headless service one per ready endpoint and port with the endpoint as target (the A records as additional);
 *   SRV on the service name itself gives every port;</li>
 *   <li>{@code <a-b-c-d>.<ns>.pod.<zone>}: the address in the name, as {@link PodRecords} says;</li>
 *   <li>PTR for cluster IPs and endpoint addresses; {@code dns-version.<zone>} TXT; the apex's SOA and NS;</li>
 *   <li>NXDOMAIN for other names in the zone, NODATA (with the SOA) for names that exist without the asked type.</li>
 * </ul>
 * Names outside the zone, and reverse names of addresses the cluster does not know, are {@link Answer#FORWARD}ed.
 */
public final class ZoneAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(ZoneAnswers.class);
    /** CoreDNS's DNSSchemaVersion, answered at {@code dns-version.<zone>}. */
    static final String SCHEMA_VERSION = "1.1.0";
    private static final long SCHEMA_VERSION_TTL = 28800;
    private static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");
    private static final Name IP6_ARPA = Name.fromConstantString("ip6.arpa.");

    private final ClusterRecords records;
    private final Name zone;
    private final long ttl;
    private final PodRecords podRecords;
    private final List<InetAddress> nameservers;
    private final Name nameserver;
    private final Name hostmaster;

    /**
     * @param zone the cluster domain (absolute, e.g. {@code cluster.local.})
     * @param ttlSeconds the TTL of every answer, and of negative answers (the SOA's minimum)
     * @param nameservers this server's own addresses, answered at {@code ns.dns.<zone>} (may be empty)
     */
    public ZoneAnswers(ClusterRecords records, Name zone, long ttlSeconds, PodRecords podRecords,
                       List<InetAddress> nameservers) {
        this.records = records;
        this.zone = zone;
        this.ttl = ttlSeconds;
        this.podRecords = podRecords;
        this.nameservers = List.copyOf(nameservers);
        this.nameserver = Name.fromConstantString("ns.dns." + zone);
        this.hostmaster = Name.fromConstantString("hostmaster." + zone);
    }

    public Name zone() {
        return zone;
    }

    /** The answer to {@code qname} (absolute) of type {@code qtype}. */
    public Answer answer(Name qname, int qtype) {
        if (qname.subdomain(IN_ADDR_ARPA) || qname.subdomain(IP6_ARPA)) {
            return reverse(qname, qtype);
        }
        if (!qname.subdomain(zone)) {
            return Answer.FORWARD;
        }
        int count = qname.labels() - zone.labels();
        String[] labels = new String[count];
        for (int i = 0; i < count; i++) {
            labels[i] = qname.getLabelString(i).toLowerCase(Locale.ROOT);
        }
        if (count == 0) {
            return apex(qtype);
        }
        if (count == 1) {
            return switch (labels[0]) {
                case "dns-version" -> qtype == Type.TXT ? positive(List.of(new TXTRecord(qname, DClass.IN,
                        SCHEMA_VERSION_TTL, SCHEMA_VERSION)), List.of()) : nodata();
                case "svc", "pod" -> nodata();
                default -> nxdomain();
            };
        }
        if (count == 2 && labels[0].equals("ns") && labels[1].equals("dns")) {
            return addresses(qname, qtype, nameservers);
        }
        String kind = labels[count - 1];
        String namespace = labels[count - 2];
        if (kind.equals("pod")) {
            return pod(qname, qtype, labels, namespace);
        }
        if (!kind.equals("svc")) {
            return nxdomain();
        }
        if (count == 2) {
            return records.namespaceKnown(namespace) ? nodata() : nxdomain();
        }
        Optional<ClusterRecords.Service> found = records.service(namespace, labels[count - 3]);
        if (found.isEmpty()) {
            return nxdomain();
        }
        ClusterRecords.Service service = found.get();
        return switch (count) {
            case 3 -> service(qname, qtype, service);
            case 4 -> endpoint(qname, qtype, service, labels[0]);
            case 5 -> port(qname, qtype, service, stripUnderscore(labels[0]), stripUnderscore(labels[1]));
            default -> nxdomain();
        };
    }

    private Answer apex(int qtype) {
        return switch (qtype) {
            case Type.SOA -> positive(List.of(soa()), List.of());
            case Type.NS -> positive(List.of(new NSRecord(zone, DClass.IN, ttl, nameserver)),
                    addressRecords(nameserver, Type.ANY, nameservers));
            default -> nodata();
        };
    }

    private Answer service(Name qname, int qtype, ClusterRecords.Service service) {
        if (service.type().equals("ExternalName")) {
            return externalName(qname, service);
        }
        if (!service.headless()) {
            return qtype == Type.SRV ? srv(qname, service, null, null)
                    : addresses(qname, qtype, service.clusterIps());
        }
        List<InetAddress> endpoints = new ArrayList<>();
        for (ClusterRecords.Slice slice : records.slices(service.namespace(), service.name())) {
            for (ClusterRecords.Endpoint endpoint : slice.endpoints()) {
                if (serves(endpoint, service)) {
                    endpoints.addAll(endpoint.addresses());
                }
            }
        }
        if (endpoints.isEmpty()) {
            return nxdomain(); // the specification: a headless service without ready endpoints has no name
        }
        return qtype == Type.SRV ? srv(qname, service, null, null) : addresses(qname, qtype, endpoints);
    }

    private Answer endpoint(Name qname, int qtype, ClusterRecords.Service service, String name) {
        if (service.type().equals("ExternalName")) {
            return nxdomain();
        }
        List<InetAddress> matching = new ArrayList<>();
        for (ClusterRecords.Slice slice : records.slices(service.namespace(), service.name())) {
            for (ClusterRecords.Endpoint endpoint : slice.endpoints()) {
                if (!serves(endpoint, service)) {
                    continue;
                }
                for (InetAddress address : endpoint.addresses()) {
                    if (endpointName(endpoint, address).equals(name)) {
                        matching.add(address);
                    }
                }
            }
        }
        return matching.isEmpty() ? nxdomain() : addresses(qname, qtype, matching);
    }

    private Answer port(Name qname, int qtype, ClusterRecords.Service service, String port, String protocol) {
        if (service.type().equals("ExternalName")) {
            return nxdomain();
        }
        Answer srv = srv(qname, service, port, protocol);
        if (qtype == Type.SRV || !(srv instanceof Answer.Authoritative found) || found.rcode() != Rcode.NOERROR) {
            return srv;
        }
        return nodata();
    }

    /**
     * SRV records of the service's ports ({@code port}/{@code protocol} null: every port): the service as target,
     * or for a headless service each serving endpoint. Priority 0, weight 100 split among the targets (CoreDNS's).
     */
    private Answer srv(Name qname, ClusterRecords.Service service, String port, String protocol) {
        Name serviceName = serviceName(service);
        List<Target> targets = new ArrayList<>();
        if (!service.headless()) {
            for (ClusterRecords.Port servicePort : service.ports()) {
                if (matches(servicePort, port, protocol)) {
                    targets.add(new Target(servicePort.port(), serviceName, service.clusterIps()));
                }
            }
        } else {
            for (ClusterRecords.Slice slice : records.slices(service.namespace(), service.name())) {
                for (ClusterRecords.Endpoint endpoint : slice.endpoints()) {
                    if (!serves(endpoint, service)) {
                        continue;
                    }
                    for (InetAddress address : endpoint.addresses()) {
                        Name target = child(endpointName(endpoint, address), serviceName);
                        for (ClusterRecords.Port slicePort : slice.ports()) {
                            if (matches(slicePort, port, protocol)) {
                                targets.add(new Target(slicePort.port(), target, List.of(address)));
                            }
                        }
                    }
                }
            }
        }
        if (targets.isEmpty()) {
            // a service without such a port: the name does not exist; the service name itself exists
            return port == null ? nodata() : nxdomain();
        }
        int weight = 100 / targets.size();
        SequencedSet<Record> answers = new LinkedHashSet<>();
        SequencedSet<Record> additional = new LinkedHashSet<>();
        for (Target target : targets) {
            answers.add(new SRVRecord(qname, DClass.IN, ttl, 0, weight, target.port(), target.name()));
            additional.addAll(addressRecords(target.name(), Type.ANY, target.addresses()));
        }
        return positive(List.copyOf(answers), List.copyOf(additional));
    }

    private record Target(int port, Name name, List<InetAddress> addresses) {
    }

    private Answer externalName(Name qname, ClusterRecords.Service service) {
        String external = service.externalName();
        try {
            Name target = Name.fromString(external.endsWith(".") ? external : external + ".");
            return positive(List.of(new CNAMERecord(qname, DClass.IN, ttl, target)), List.of());
        } catch (TextParseException e) {
            LOG.atWarn().addKeyValue("service", service.namespace() + "/" + service.name())
                    .addKeyValue("externalName", external).log("the service's externalName is not a DNS name");
            return nxdomain();
        }
    }

    private Answer pod(Name qname, int qtype, String[] labels, String namespace) {
        if (podRecords == PodRecords.DISABLED) {
            return nxdomain();
        }
        if (labels.length == 2) {
            return podRecords == PodRecords.INSECURE || records.namespaceKnown(namespace) ? nodata() : nxdomain();
        }
        if (labels.length != 3) {
            return nxdomain();
        }
        String name = labels[0];
        // a-b-c-d is an IPv4 address; anything else with dashes for colons an IPv6 one (CoreDNS's reading)
        String literal = name.chars().filter(c -> c == '-').count() == 3 && !name.contains("--")
                ? name.replace('-', '.') : name.replace('-', ':');
        InetAddress address;
        try {
            address = Address.getByAddress(literal);
        } catch (UnknownHostException e) {
            return nxdomain();
        }
        if (podRecords == PodRecords.VERIFIED && !records.podHasIp(namespace, address)) {
            return nxdomain();
        }
        return addresses(qname, qtype, List.of(address));
    }

    private Answer reverse(Name qname, int qtype) {
        InetAddress address;
        try {
            address = ReverseMap.fromName(qname);
        } catch (UnknownHostException e) {
            return Answer.FORWARD; // not a whole address: a reverse zone that is not the cluster's
        }
        SequencedSet<Record> answers = new LinkedHashSet<>();
        for (ClusterRecords.Service service : records.services()) {
            Name serviceName = serviceName(service);
            if (service.clusterIps().contains(address)) {
                answers.add(new PTRRecord(qname, DClass.IN, ttl, serviceName));
            }
            for (ClusterRecords.Slice slice : records.slices(service.namespace(), service.name())) {
                for (ClusterRecords.Endpoint endpoint : slice.endpoints()) {
                    if (serves(endpoint, service) && endpoint.addresses().contains(address)) {
                        answers.add(new PTRRecord(qname, DClass.IN, ttl, child(endpointName(endpoint, address),
                                serviceName)));
                    }
                }
            }
        }
        // CoreDNS's "fallthrough in-addr.arpa ip6.arpa": what the cluster does not know goes upstream
        return answers.isEmpty() || qtype != Type.PTR ? Answer.FORWARD : positive(List.copyOf(answers), List.of());
    }

    /** A/AAAA of {@code addresses} for an existing name: NODATA when none is of the asked family. */
    private Answer addresses(Name qname, int qtype, List<InetAddress> addresses) {
        return positive(addressRecords(qname, qtype, addresses), List.of());
    }

    /** The A ({@code qtype} A), AAAA (AAAA) or both (ANY) records of {@code addresses}, without duplicates. */
    private List<Record> addressRecords(Name owner, int qtype, List<InetAddress> addresses) {
        SequencedSet<Record> result = new LinkedHashSet<>();
        for (InetAddress address : addresses) {
            if (address instanceof Inet4Address && (qtype == Type.A || qtype == Type.ANY)) {
                result.add(new ARecord(owner, DClass.IN, ttl, address));
            } else if (address instanceof Inet6Address && (qtype == Type.AAAA || qtype == Type.ANY)) {
                result.add(new AAAARecord(owner, DClass.IN, ttl, address));
            }
        }
        return List.copyOf(result);
    }

    private Answer positive(List<Record> answers, List<Record> additional) {
        return answers.isEmpty() ? nodata()
                : new Answer.Authoritative(Rcode.NOERROR, answers, additional, List.of());
    }

    private Answer nodata() {
        return new Answer.Authoritative(Rcode.NOERROR, List.of(), List.of(), List.of(soa()));
    }

    private Answer nxdomain() {
        return new Answer.Authoritative(Rcode.NXDOMAIN, List.of(), List.of(), List.of(soa()));
    }

    /** CoreDNS's SOA: serial from the last change, refresh 2 h, retry 30 min, expire 1 day, minimum the TTL. */
    private SOARecord soa() {
        return new SOARecord(zone, DClass.IN, ttl, nameserver, hostmaster, records.modified(), 7200, 1800, 86400,
                ttl);
    }

    private static boolean serves(ClusterRecords.Endpoint endpoint, ClusterRecords.Service service) {
        return endpoint.ready() || service.publishNotReadyAddresses();
    }

    private static boolean matches(ClusterRecords.Port candidate, String port, String protocol) {
        if (port == null) {
            return true;
        }
        return !candidate.name().isEmpty() && candidate.name().equalsIgnoreCase(port)
                && candidate.protocol().equalsIgnoreCase(protocol);
    }

    private Name serviceName(ClusterRecords.Service service) {
        return child(service.name(), child(service.namespace(), child("svc", zone)));
    }

    /** The endpoint's DNS label: its hostname, else its address with dashes (CoreDNS's endpointHostname). */
    static String endpointName(ClusterRecords.Endpoint endpoint, InetAddress address) {
        if (!endpoint.hostname().isEmpty()) {
            return endpoint.hostname();
        }
        return address instanceof Inet6Address ? compressed(address).replace(':', '-')
                : address.getHostAddress().replace('.', '-');
    }

    /** The RFC 5952 text of an IPv6 address (the form Kubernetes writes), which Java does not compress. */
    static String compressed(InetAddress address) {
        String[] groups = address.getHostAddress().replaceFirst("%.*$", "").split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        String head = String.join(":", List.of(groups).subList(0, bestStart));
        String tail = String.join(":", List.of(groups).subList(bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static Name child(String label, Name parent) {
        try {
            return Name.concatenate(Name.fromString(label), parent);
        } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
            throw new IllegalArgumentException("not a DNS name: " + label + "." + parent, e);
        }
    }

    private static String stripUnderscore(String label) {
        return label.startsWith("_") ? label.substring(1) : label;
    }
}
