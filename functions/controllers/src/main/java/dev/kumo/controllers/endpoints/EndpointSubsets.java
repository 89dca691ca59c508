package dev.kumo.controllers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code subsets} of a core/v1 Endpoints object in the canonical form kube's {@code endpoints.RepackSubsets}
 * gives them: each subset is a set of addresses (ready and not ready) and the ports that exactly those addresses
 * offer, so pods whose named port resolves to different numbers land in different subsets. Sorted (addresses by IP
 * and pod uid, ports by name, number and protocol, subsets by their first address) so that two computations of the
 * same state compare equal and an unchanged Endpoints is never rewritten.
 */
public final class EndpointSubsets {
    /** kube's {@code maxCapacity}: more addresses than this are truncated, with the over-capacity annotation. */
    public static final int MAX_CAPACITY = 1000;

    /** An address's or endpoint's {@code targetRef} (its pod); the pod's resourceVersion is left out. */
    public record TargetRef(String kind, String namespace, String name, String uid) {
        /** The reference in {@code node}, or null when it is not an object. */
        public static TargetRef fromJson(JsonNode node) {
            return node.isObject() ? new TargetRef(node.path("kind").asText(""), node.path("namespace").asText(""),
                    node.path("name").asText(""), node.path("uid").asText("")) : null;
        }

        public void writeTo(ObjectNode parent) {
            parent.putObject("targetRef").put("kind", kind).put("namespace", namespace).put("name", name)
                    .put("uid", uid);
        }
    }

    public record Address(String ip, String hostname, String nodeName, TargetRef targetRef) {
        String uid() {
            return targetRef == null ? "" : targetRef.uid();
        }
    }

    /** A port an address or endpoint offers ({@code EndpointPort} of core/v1 and of discovery/v1). */
    public record Port(String name, int port, String protocol, String appProtocol) {
        /** By name, number, protocol and appProtocol. */
        public static final Comparator<Port> ORDER = Comparator.comparing(Port::name).thenComparingInt(Port::port)
                .thenComparing(Port::protocol).thenComparing(Port::appProtocol);

        /** A {@code ports} array as the API returns it (protocol TCP when absent). */
        public static List<Port> listFromJson(JsonNode ports) {
            List<Port> parsed = new ArrayList<>();
            ports.forEach(port -> parsed.add(new Port(port.path("name").asText(""), port.path("port").asInt(),
                    port.path("protocol").asText("TCP"), port.path("appProtocol").asText(""))));
            return parsed;
        }
    }

    public record Subset(List<Address> addresses, List<Address> notReadyAddresses, List<Port> ports) {
        int size() {
            return addresses.size() + notReadyAddresses.size();
        }
    }

    /** One address offering one port (null: a headless service without ports), ready or not. */
    public record Entry(Address address, boolean ready, Port port) {
    }

    private static final Comparator<Address> BY_IP_AND_UID = Comparator.comparing(Address::ip)
            .thenComparing(Address::uid);

    private EndpointSubsets() {
    }

    /** {@code RepackSubsets}: groups the entries into subsets of addresses sharing exactly the same ports. */
    public static List<Subset> repack(List<Entry> entries) {
        // The same address (IP and pod) may appear under several ports; not ready wins over ready per port.
        Map<List<String>, Address> addresses = new HashMap<>();
        Map<Port, Map<Address, Boolean>> byPort = new LinkedHashMap<>();
        Port sentinel = new Port("", -1, "", "");
        for (Entry entry : entries) {
            Address address = addresses.computeIfAbsent(List.of(entry.address().ip(), entry.address().uid()),
                    k -> entry.address());
            Map<Address, Boolean> ready = byPort.computeIfAbsent(entry.port() == null ? sentinel : entry.port(),
                    k -> new HashMap<>());
            ready.merge(address, entry.ready(), Boolean::logicalAnd);
        }
        Map<String, Map<Address, Boolean>> addressSets = new TreeMap<>();
        Map<String, List<Port>> portsBySet = new TreeMap<>();
        for (Map.Entry<Port, Map<Address, Boolean>> port : byPort.entrySet()) {
            String setKey = setKey(port.getValue());
            addressSets.put(setKey, port.getValue());
            List<Port> ports = portsBySet.computeIfAbsent(setKey, k -> new ArrayList<>());
            if (port.getKey() != sentinel) {
                ports.add(port.getKey());
            }
        }
        List<Subset> subsets = new ArrayList<>();
        for (Map.Entry<String, List<Port>> set : portsBySet.entrySet()) {
            List<Address> ready = new ArrayList<>();
            List<Address> notReady = new ArrayList<>();
            addressSets.get(set.getKey()).forEach((address, isReady) -> (isReady ? ready : notReady).add(address));
            ready.sort(BY_IP_AND_UID);
            notReady.sort(BY_IP_AND_UID);
            List<Port> ports = new ArrayList<>(set.getValue());
            ports.sort(Port.ORDER);
            subsets.add(new Subset(List.copyOf(ready), List.copyOf(notReady), List.copyOf(ports)));
        }
        subsets.sort(Comparator.comparing(EndpointSubsets::subsetOrder));
        return List.copyOf(subsets);
    }

    /** An existing object's subsets in canonical form (pod resourceVersions in targetRefs are ignored). */
    public static List<Subset> canonical(JsonNode subsets) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode subset : subsets) {
            List<Port> ports = Port.listFromJson(subset.path("ports"));
            for (String field : List.of("addresses", "notReadyAddresses")) {
                for (JsonNode address : subset.path(field)) {
                    Address parsed = address(address);
                    boolean ready = field.equals("addresses");
                    if (ports.isEmpty()) {
                        entries.add(new Entry(parsed, ready, null));
                    }
                    ports.forEach(port -> entries.add(new Entry(parsed, ready, port)));
                }
            }
        }
        return repack(entries);
    }

    /** Total addresses, ready and not. */
    public static int count(List<Subset> subsets) {
        return subsets.stream().mapToInt(Subset::size).sum();
    }

    /**
     * kube's {@code truncateEndpoints}: keeps at most {@link #MAX_CAPACITY} addresses, spread over the subsets in
     * proportion, ready ones first; not-ready ones are dropped first. The input is returned when it fits.
     */
    public static List<Subset> truncate(List<Subset> subsets) {
        int totalReady = subsets.stream().mapToInt(s -> s.addresses().size()).sum();
        int totalNotReady = subsets.stream().mapToInt(s -> s.notReadyAddresses().size()).sum();
        if (totalReady + totalNotReady <= MAX_CAPACITY) {
            return subsets;
        }
        boolean truncateReady = totalReady > MAX_CAPACITY;
        int max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - totalReady;
        int numTotal = truncateReady ? totalReady : totalNotReady;
        int canBeAdded = max;
        List<Subset> truncated = new ArrayList<>();
        for (Subset subset : subsets) {
            int inSubset = truncateReady ? subset.addresses().size() : subset.notReadyAddresses().size();
            int toBeAdded = Math.min((int) Math.ceil((double) inSubset / numTotal * max), canBeAdded);
            if (truncateReady) {
                List<Address> kept = head(subset.addresses(), toBeAdded);
                truncated.add(new Subset(kept, List.of(), subset.ports()));
                canBeAdded -= kept.size();
            } else {
                List<Address> kept = head(subset.notReadyAddresses(), toBeAdded);
                truncated.add(new Subset(subset.addresses(), kept, subset.ports()));
                canBeAdded -= kept.size();
            }
        }
        return List.copyOf(truncated);
    }

    private static List<Address> head(List<Address> addresses, int max) {
        return addresses.size() <= max ? addresses : List.copyOf(addresses.subList(0, max));
    }

    public static ArrayNode toJson(List<Subset> subsets) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Subset subset : subsets) {
            ObjectNode node = array.addObject();
            addresses(node, "addresses", subset.addresses());
            addresses(node, "notReadyAddresses", subset.notReadyAddresses());
            if (!subset.ports().isEmpty()) {
                ArrayNode ports = node.putArray("ports");
                for (Port port : subset.ports()) {
                    ObjectNode p = ports.addObject();
                    if (!port.name().isEmpty()) {
                        p.put("name", port.name());
                    }
                    p.put("port", port.port()).put("protocol", port.protocol());
                    if (!port.appProtocol().isEmpty()) {
                        p.put("appProtocol", port.appProtocol());
                    }
                }
            }
        }
        return array;
    }

    private static void addresses(ObjectNode subset, String field, List<Address> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        ArrayNode array = subset.putArray(field);
        for (Address address : addresses) {
            ObjectNode a = array.addObject().put("ip", address.ip());
            if (!address.hostname().isEmpty()) {
                a.put("hostname", address.hostname());
            }
            if (!address.nodeName().isEmpty()) {
                a.put("nodeName", address.nodeName());
            }
            if (address.targetRef() != null) {
                address.targetRef().writeTo(a);
            }
        }
    }

    private static Address address(JsonNode address) {
        return new Address(address.path("ip").asText(""), address.path("hostname").asText(""),
                address.path("nodeName").asText(""), TargetRef.fromJson(address.path("targetRef")));
    }

    /** A stable key of an address set: each address with its readiness, sorted. */
    private static String setKey(Map<Address, Boolean> addresses) {
        List<String> parts = new ArrayList<>();
        addresses.forEach((address, ready) -> parts.add(address.ip() + "/" + address.uid() + "/" + ready));
        parts.sort(String::compareTo);
        return String.join(",", parts);
    }

    private static String subsetOrder(Subset subset) {
        Address first = !subset.addresses().isEmpty() ? subset.addresses().getFirst()
                : subset.notReadyAddresses().isEmpty() ? null : subset.notReadyAddresses().getFirst();
        return (first == null ? "" : first.ip() + "/" + first.uid()) + "|" + subset.ports();
    }
}
