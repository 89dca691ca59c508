package dev.kumo.cloud.local;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.LoadBalancerRequest;
import dev.kumo.cloud.LoadBalancerStatus;
import dev.kumo.cloud.LoadBalancers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local provider's load balancers: per Service port a TCP listener on 127.0.0.1 ({@link TcpListener}) spreading
 * connections over the targets' {@code address:nodePort}. A listener takes the Service's port when it is free and
 * unprivileged (≥ 1024), else a free port; the choice is remembered under the cluster home ({@link ListenerPorts}),
 * so that ensuring again, or a restarted cluster, keeps it. Ingress is {@code 127.0.0.1}.
 *
 * <p>TCP only: a Service port of another protocol is refused with a non-retryable {@link CloudException} (the
 * service controller turns it into a {@code SyncLoadBalancerFailed} event and does not retry until the Service
 * changes). The listeners live in this process: every loop function of a local cluster shares one instance per
 * state file ({@link #at}).
 */
public final class LocalLoadBalancers implements LoadBalancers, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLoadBalancers.class);
    public static final String INGRESS_IP = "127.0.0.1";
    /** The first port an unprivileged process may bind. */
    static final int FIRST_UNPRIVILEGED_PORT = 1024;
    private static final Map<Path, LocalLoadBalancers> SHARED = new ConcurrentHashMap<>();

    private final ListenerPorts ports;
    /** Open listeners by load balancer name, then by {@code protocol/port}. */
    private final Map<String, Map<String, TcpListener>> listeners = new HashMap<>();

    /** Load balancers whose listener ports are kept in {@code stateFile}. */
    public LocalLoadBalancers(Path stateFile) throws IOException {
        this.ports = ListenerPorts.load(stateFile);
    }

    /** The one instance of this process for {@code stateFile}: the loop functions of a local cluster share it. */
    public static LocalLoadBalancers at(Path stateFile) {
        return SHARED.computeIfAbsent(stateFile.toAbsolutePath().normalize(), file -> {
            try {
                return new LocalLoadBalancers(file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the load balancers' state " + file, e);
            }
        });
    }

    @Override
    public synchronized LoadBalancerStatus ensure(LoadBalancerRequest request) throws CloudException {
        for (LoadBalancerRequest.Port port : request.ports()) {
            if (!port.protocol().equals("TCP")) {
                throw new CloudException("the local provider's load balancers carry TCP only; port " + key(port)
                        + " cannot be served", false);
            }
        }
        Map<String, TcpListener> open = listeners.computeIfAbsent(request.name(), name -> new LinkedHashMap<>());
        Map<String, LoadBalancerRequest.Port> wanted = new LinkedHashMap<>();
        request.ports().forEach(port -> wanted.put(key(port), port));
        open.entrySet().removeIf(entry -> {
            if (wanted.containsKey(entry.getKey())) {
                return false;
            }
            entry.getValue().close();
            LOG.atInfo().addKeyValue("loadBalancer", request.name()).addKeyValue("service", request.service())
                    .addKeyValue("port", entry.getKey()).log("closed the listener of a port the service dropped");
            return true;
        });
        Map<String, Integer> chosen = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, LoadBalancerRequest.Port> entry : wanted.entrySet()) {
                List<InetSocketAddress> backends = backends(request.targets(), entry.getValue());
                TcpListener listener = open.get(entry.getKey());
                if (listener == null) {
                    listener = listen(request, entry.getKey(), entry.getValue().port(), backends);
                    open.put(entry.getKey(), listener);
                } else if (!listener.backends().equals(backends)) {
                    listener.backends(backends);
                    LOG.atInfo().addKeyValue("loadBalancer", request.name()).addKeyValue("service", request.service())
                            .addKeyValue("port", entry.getKey()).addKeyValue("backends", backends)
                            .log("load balancer backends changed");
                }
                chosen.put(entry.getKey(), listener.port());
            }
            ports.put(request.name(), request.service(), chosen);
        } catch (IOException e) {
            throw new CloudException("could not open the listeners of load balancer " + request.name() + ": " + e,
                    true, e);
        }
        return status(request.name());
    }

    /**
     * Opens a listener for one Service port: on the port it had before, else the Service's port when unprivileged,
     * else any free port. A remembered port that another process took meanwhile is given up for a new one.
     */
    private TcpListener listen(LoadBalancerRequest request, String servicePort, int port,
                               List<InetSocketAddress> backends) throws IOException {
        OptionalInt remembered = ports.port(request.name(), servicePort);
        List<Integer> candidates = new java.util.ArrayList<>();
        remembered.ifPresent(candidates::add);
        if (port >= FIRST_UNPRIVILEGED_PORT) {
            candidates.add(port);
        }
        candidates.add(0);
        for (int candidate : candidates) {
            Optional<TcpListener> listener = TcpListener.open(request.name(), candidate, backends);
            if (listener.isPresent()) {
                if (remembered.isPresent() && remembered.getAsInt() != listener.get().port()) {
                    LOG.atWarn().addKeyValue("loadBalancer", request.name()).addKeyValue("service", request.service())
                            .addKeyValue("port", servicePort).addKeyValue("was", remembered.getAsInt())
                            .addKeyValue("now", listener.get().port())
                            .log("the listener's earlier port is taken; it moved");
                }
                LOG.atInfo().addKeyValue("loadBalancer", request.name()).addKeyValue("service", request.service())
                        .addKeyValue("port", servicePort)
                        .addKeyValue("listener", INGRESS_IP + ":" + listener.get().port())
                        .addKeyValue("backends", backends).log("load balancer listening");
                return listener.get();
            }
        }
        throw new IOException("no free port on " + INGRESS_IP);
    }

    private static List<InetSocketAddress> backends(List<LoadBalancerRequest.Target> targets,
                                                    LoadBalancerRequest.Port port) {
        if (port.nodePort() == 0) {
            return List.of(); // a Service without node ports has nothing a node would answer on
        }
        return targets.stream().map(target -> new InetSocketAddress(target.address(), port.nodePort())).toList();
    }

    private static String key(LoadBalancerRequest.Port port) {
        return port.protocol() + "/" + port.port();
    }

    private static LoadBalancerStatus status(String name) {
        return new LoadBalancerStatus(name, List.of(new LoadBalancerStatus.Ingress(INGRESS_IP, null)));
    }

    @Override
    public synchronized Optional<LoadBalancerStatus> find(String name) {
        return listeners.containsKey(name) || ports.contains(name) ? Optional.of(status(name)) : Optional.empty();
    }

    @Override
    public synchronized void delete(String name) throws CloudException {
        Map<String, TcpListener> open = listeners.remove(name);
        if (open != null) {
            open.values().forEach(TcpListener::close);
        }
        try {
            ports.remove(name);
        } catch (IOException e) {
            throw new CloudException("could not forget load balancer " + name + ": " + e, true, e);
        }
        LOG.atInfo().addKeyValue("loadBalancer", name).addKeyValue("listeners", open == null ? 0 : open.size())
                .log("load balancer deleted");
    }

    /** The port each listener of load balancer {@code name} listens on, by {@code protocol/port}. */
    public synchronized Map<String, Integer> listenerPorts(String name) {
        Map<String, Integer> result = new LinkedHashMap<>();
        listeners.getOrDefault(name, Map.of()).forEach((key, listener) -> result.put(key, listener.port()));
        return result;
    }

    /** Closes every listener (the cluster stops); the ports chosen stay recorded for the next start. */
    @Override
    public synchronized void close() {
        listeners.values().forEach(open -> open.values().forEach(TcpListener::close));
        listeners.clear();
    }
}
