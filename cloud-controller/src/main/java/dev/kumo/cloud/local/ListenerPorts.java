package dev.kumo.cloud.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The local load balancers that exist and the port each of their listeners took, kept in one JSON file under the
 * cluster home ({@code {"<lb name>": {"service": "ns/name", "ports": {"TCP/80": 8080}}}}): a restarted cluster
 * opens them on the same ports again, so addresses people wrote down keep working.
 */
final class ListenerPorts {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final ObjectNode state;

    private ListenerPorts(Path file, ObjectNode state) {
        this.file = file;
        this.state = state;
    }

    static ListenerPorts load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new ListenerPorts(file, MAPPER.createObjectNode());
        }
        return new ListenerPorts(file, (ObjectNode) MAPPER.readTree(file.toFile()));
    }

    boolean contains(String loadBalancer) {
        return state.has(loadBalancer);
    }

    /** The port the listener for {@code protocol/port} of this load balancer took before, if any. */
    OptionalInt port(String loadBalancer, String servicePort) {
        int port = state.path(loadBalancer).path("ports").path(servicePort).asInt(0);
        return port == 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** Records the load balancer with exactly these listener ports ({@code "TCP/80" → 8080}) and saves. */
    void put(String loadBalancer, String service, Map<String, Integer> ports) throws IOException {
        ObjectNode entry = MAPPER.createObjectNode().put("service", service);
        ObjectNode portNode = entry.putObject("ports");
        new TreeMap<>(ports).forEach(portNode::put);
        if (entry.equals(state.get(loadBalancer))) {
            return;
        }
        ObjectNode next = state.deepCopy();
        next.set(loadBalancer, entry);
        save(next);
    }

    void remove(String loadBalancer) throws IOException {
        if (state.has(loadBalancer)) {
            ObjectNode next = state.deepCopy();
            next.remove(loadBalancer);
            save(next);
        }
    }

    /** Writes {@code next} and only then takes it as the state: a failed write leaves memory as the file is. */
    private void save(ObjectNode next) throws IOException {
        StateFile.write(file, next);
        state.removeAll();
        state.setAll(next);
    }
}
