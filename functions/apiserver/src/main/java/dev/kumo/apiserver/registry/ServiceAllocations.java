package dev.kumo.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.errors.FieldError;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A service's ClusterIP from the service CIDR and its node ports from 30000-32767, as kube-apiserver's service
 * REST storage allocates them. Each reservation is an object in the store (resource
 * {@code kumo.dev/serviceipallocations} or {@code kumo.dev/servicenodeportallocations}), created conditionally.
 */
public final class ServiceAllocations implements Allocations {
    static final String IP_RESOURCE = "kumo.dev/serviceipallocations";
    static final String PORT_RESOURCE = "kumo.dev/servicenodeportallocations";
    static final int NODE_PORT_MIN = 30000;
    static final int NODE_PORT_MAX = 32767;
    private static final int ATTEMPTS = 32;

    private final Store store;
    private final ObjectMapper mapper;
    private final ServiceCidr cidr;
    private final SecureRandom random = new SecureRandom();

    public ServiceAllocations(Store store, ObjectMapper mapper, ServiceCidr cidr) {
        this.store = store;
        this.mapper = mapper;
        this.cidr = cidr;
    }

    @Override
    public void allocate(ObjectNode service) {
        ObjectNode spec = (ObjectNode) service.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        if (type.equals("ExternalName")) {
            return;
        }
        String owner = owner(service);
        String requested = spec.path("clusterIP").asText("");
        if (!requested.equals("None")) {
            String ip = requested.isEmpty() ? allocateIp(owner) : reserveIp(requested, owner);
            spec.put("clusterIP", ip);
            spec.putArray("clusterIPs").add(ip);
        } else if (!spec.has("clusterIPs")) {
            spec.putArray("clusterIPs").add("None");
        }
        try {
            allocateNodePorts(spec, Set.of(), owner);
        } catch (RuntimeException e) {
            release(service);
            throw e;
        }
    }

    @Override
    public void reallocate(ObjectNode service, ObjectNode old) {
        ObjectNode spec = (ObjectNode) service.path("spec");
        Set<Integer> held = nodePorts(old.path("spec"));
        allocateNodePorts(spec, held, owner(service));
        Set<Integer> kept = nodePorts(spec);
        held.stream().filter(port -> !kept.contains(port)).forEach(this::releasePort);
    }

    @Override
    public void release(ObjectNode service) {
        String ip = service.path("spec").path("clusterIP").asText("");
        if (!ip.isEmpty() && !ip.equals("None")) {
            delete(ObjectKey.cluster(IP_RESOURCE, ip));
        }
        nodePorts(service.path("spec")).forEach(this::releasePort);
    }

    private void allocateNodePorts(ObjectNode spec, Set<Integer> alreadyHeld, String owner) {
        String type = spec.path("type").asText("ClusterIP");
        if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
            return;
        }
        int i = 0;
        for (JsonNode port : spec.path("ports")) {
            ObjectNode portNode = (ObjectNode) port;
            int requested = portNode.path("nodePort").asInt(0);
            if (requested == 0) {
                portNode.put("nodePort", allocatePort(owner));
            } else if (!alreadyHeld.contains(requested)) {
                if (requested < NODE_PORT_MIN || requested > NODE_PORT_MAX) {
                    throw invalid("spec.ports[" + i + "].nodePort", requested, "provided port is not in the valid "
                            + "range. The range of valid ports is " + NODE_PORT_MIN + "-" + NODE_PORT_MAX);
                }
                if (!reserve(ObjectKey.cluster(PORT_RESOURCE, Integer.toString(requested)), owner)) {
                    throw invalid("spec.ports[" + i + "].nodePort", requested, "provided port is already allocated");
                }
            }
            i++;
        }
    }

    private String allocateIp(String owner) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String ip = cidr.randomServiceAddress(random);
            if (reserve(ObjectKey.cluster(IP_RESOURCE, ip), owner)) {
                return ip;
            }
        }
        throw new ApiException(500, "InternalError", "failed to allocate a serviceIP: range " + cidr
                + " is full or contended", null);
    }

    private String reserveIp(String ip, String owner) {
        if (!cidr.contains(ip)) {
            throw invalid("spec.clusterIPs", ip, "failed to allocate IP " + ip + ": provided IP is not in the valid "
                    + "range. The range of valid IPs is " + cidr);
        }
        if (!reserve(ObjectKey.cluster(IP_RESOURCE, ip), owner)) {
            throw invalid("spec.clusterIPs", ip, "failed to allocate IP " + ip + ": provided IP is already allocated");
        }
        return ip;
    }

    private int allocatePort(String owner) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = NODE_PORT_MIN + random.nextInt(NODE_PORT_MAX - NODE_PORT_MIN + 1);
            if (reserve(ObjectKey.cluster(PORT_RESOURCE, Integer.toString(port)), owner)) {
                return port;
            }
        }
        throw new ApiException(500, "InternalError", "failed to allocate a nodePort: range "
                + NODE_PORT_MIN + "-" + NODE_PORT_MAX + " is full or contended", null);
    }

    private boolean reserve(ObjectKey key, String owner) {
        ObjectNode reservation = mapper.createObjectNode();
        reservation.putObject("metadata").put("name", key.name());
        reservation.put("owner", owner);
        try {
            store.create(key, reservation);
            return true;
        } catch (StoreException.AlreadyExists taken) {
            return false;
        }
    }

    private void releasePort(int port) {
        delete(ObjectKey.cluster(PORT_RESOURCE, Integer.toString(port)));
    }

    private void delete(ObjectKey key) {
        try {
            store.delete(key, 0);
        } catch (StoreException.NotFound alreadyReleased) {
            // Released by an earlier attempt of the same delete: nothing left to do.
        }
    }

    private static Set<Integer> nodePorts(JsonNode spec) {
        Set<Integer> ports = new HashSet<>();
        spec.path("ports").forEach(port -> {
            if (port.path("nodePort").asInt(0) > 0) {
                ports.add(port.path("nodePort").asInt());
            }
        });
        return ports;
    }

    private static String owner(ObjectNode service) {
        return Meta.namespace(service) + "/" + Meta.name(service);
    }

    private static ApiException invalid(String field, Object value, String detail) {
        return ApiException.invalid("", "Service", "", List.of(FieldError.invalid(field, value, detail)));
    }
}
