package dev.kumo.cloud.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Route;
import dev.kumo.cloud.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local provider's routes: a node's pod CIDR routed to the node's address on this machine. When this process is
 * root and the node's address is on a network the host is attached to (a node in its own network namespace, joined
 * to the host by a veth), the route is a kernel route, {@code ip route replace <podCIDR> via <node address>};
 * otherwise (nodes that are threads of the cluster's JVM, with addresses nothing answers on) the route is only
 * recorded, and a log line says so once. Either way the routes are kept in a file under the cluster home, so that a
 * restarted cluster still knows which kernel routes it made.
 */
public final class LocalRoutes implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRoutes.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<Path, LocalRoutes> SHARED = new ConcurrentHashMap<>();

    /** A route and whether the kernel has it. */
    private record Entry(Route route, boolean kernel) {
    }

    private final Path stateFile;
    private final HostRoutes host;
    private final boolean root;
    private final AtomicBoolean saidRecordOnly = new AtomicBoolean();
    /** By destination CIDR: one route per pod CIDR. */
    private final Map<String, Entry> routes = new TreeMap<>();

    /** Routes recorded in {@code stateFile}, made in the network namespace {@code netns} ("" for this process's). */
    public LocalRoutes(Path stateFile, String netns) throws IOException {
        this(stateFile, new HostRoutes(netns), HostRoutes.runningAsRoot());
    }

    LocalRoutes(Path stateFile, HostRoutes host, boolean root) throws IOException {
        this.stateFile = stateFile;
        this.host = host;
        this.root = root;
        if (Files.exists(stateFile)) {
            for (var node : MAPPER.readTree(stateFile.toFile())) {
                Route route = new Route(node.path("nodeName").asText(), node.path("providerId").asText(),
                        node.path("destinationCidr").asText(), node.path("targetAddress").asText());
                routes.put(route.destinationCidr(), new Entry(route, node.path("kernel").asBoolean()));
            }
        }
    }

    /** Routes that are only recorded, whoever runs this: for a process that must leave the kernel's table alone. */
    public static LocalRoutes recordOnly(Path stateFile) throws IOException {
        return new LocalRoutes(stateFile, new HostRoutes(""), false);
    }

    /** The one instance of this process for {@code stateFile}, in this process's network namespace. */
    public static LocalRoutes at(Path stateFile) {
        return SHARED.computeIfAbsent(stateFile.toAbsolutePath().normalize(), file -> {
            try {
                return new LocalRoutes(file, "");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the routes' state " + file, e);
            }
        });
    }

    @Override
    public synchronized List<Route> list() {
        return routes.values().stream().map(Entry::route).toList();
    }

    @Override
    public synchronized void create(Route route) throws CloudException {
        Entry present = routes.get(route.destinationCidr());
        if (present != null && present.route().equals(route)) {
            return;
        }
        try {
            if (present != null && present.kernel() && !present.route().targetAddress().equals(route.targetAddress())) {
                host.delete(present.route().destinationCidr(), present.route().targetAddress());
            }
            boolean kernel = kernelRoute(route);
            if (kernel) {
                host.replace(route.destinationCidr(), route.targetAddress());
            }
            Map<String, Entry> next = new TreeMap<>(routes);
            next.put(route.destinationCidr(), new Entry(route, kernel));
            save(next);
            LOG.atInfo().addKeyValue("node", route.nodeName()).addKeyValue("podCIDR", route.destinationCidr())
                    .addKeyValue("via", route.targetAddress()).addKeyValue("kernel", kernel).log("route created");
        } catch (IOException e) {
            throw new CloudException("could not create the route of node " + route.nodeName() + " ("
                    + route.destinationCidr() + "): " + e.getMessage(), true, e);
        }
    }

    @Override
    public synchronized void delete(Route route) throws CloudException {
        Entry present = routes.get(route.destinationCidr());
        if (present == null) {
            return;
        }
        try {
            if (present.kernel()) {
                host.delete(present.route().destinationCidr(), present.route().targetAddress());
            }
            Map<String, Entry> next = new TreeMap<>(routes);
            next.remove(route.destinationCidr());
            save(next);
            LOG.atInfo().addKeyValue("node", present.route().nodeName())
                    .addKeyValue("podCIDR", route.destinationCidr()).addKeyValue("kernel", present.kernel())
                    .log("route deleted");
        } catch (IOException e) {
            throw new CloudException("could not delete the route of node " + route.nodeName() + " ("
                    + route.destinationCidr() + "): " + e.getMessage(), true, e);
        }
    }

    /** Whether this route can and should be a kernel route; says once why not when it cannot. */
    private boolean kernelRoute(Route route) throws IOException {
        if (root && !route.targetAddress().isEmpty() && host.directlyReachable(route.targetAddress())) {
            return true;
        }
        if (saidRecordOnly.compareAndSet(false, true)) {
            LOG.atInfo().addKeyValue("node", route.nodeName()).addKeyValue("address", route.targetAddress())
                    .addKeyValue("root", root).log("pod routes are recorded only, not put in the kernel: not root, or "
                            + "the node's address is not on a network of this host (nodes without their own network "
                            + "namespace)");
        }
        return false;
    }

    private void save(Map<String, Entry> next) throws IOException {
        ArrayNode array = MAPPER.createArrayNode();
        for (Entry entry : next.values()) {
            array.addObject().put("nodeName", entry.route().nodeName())
                    .put("providerId", entry.route().providerId())
                    .put("destinationCidr", entry.route().destinationCidr())
                    .put("targetAddress", entry.route().targetAddress()).put("kernel", entry.kernel());
        }
        StateFile.write(stateFile, array);
        routes.clear();
        routes.putAll(next);
    }
}
