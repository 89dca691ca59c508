package dev.kumo.cloud.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One port of a local load balancer: a TCP listener on 127.0.0.1 that hands each connection to the next backend in
 * turn (round-robin, as an NLB's flow hash spreads them), skipping backends that refuse, and splices the bytes both
 * ways ({@link Splice}). A connection, its accept loop and its pumps are virtual threads; the backends can be
 * replaced while it runs (node changes); closing it closes its open connections too.
 */
final class TcpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);
    /** How long to wait for a backend to accept before trying the next: NodePorts answer at once or not at all. */
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** How long {@link #close} waits for the accept loop to see the closed socket. */
    private static final java.time.Duration ACCEPT_LOOP_END = java.time.Duration.ofSeconds(5);

    private final String loadBalancer;
    private final ServerSocket server;
    private final AtomicLong next = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile List<InetSocketAddress> backends;
    private volatile Thread accepting;

    private TcpListener(String loadBalancer, ServerSocket server, List<InetSocketAddress> backends) {
        this.loadBalancer = loadBalancer;
        this.server = server;
        this.backends = List.copyOf(backends);
    }

    /**
     * Binds 127.0.0.1:{@code port} (0 for any free port) and starts accepting. Empty when the port is taken, so that
     * the caller can choose another.
     */
    static Optional<TcpListener> open(String loadBalancer, int port, List<InetSocketAddress> backends)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true); // a port of a listener closed a moment ago (connections in TIME_WAIT) is free
        try {
            server.bind(new InetSocketAddress("127.0.0.1", port), 128);
        } catch (java.net.BindException e) {
            server.close();
            return Optional.empty();
        }
        TcpListener listener = new TcpListener(loadBalancer, server, backends);
        listener.accepting = Thread.ofVirtual().name("lb-" + loadBalancer + "-" + server.getLocalPort())
                .start(listener::accept);
        return Optional.of(listener);
    }

    int port() {
        return server.getLocalPort();
    }

    List<InetSocketAddress> backends() {
        return backends;
    }

    void backends(List<InetSocketAddress> backends) {
        this.backends = List.copyOf(backends);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.atWarn().setCause(e).addKeyValue("loadBalancer", loadBalancer).addKeyValue("port", port())
                            .log("accept failed; the listener stops");
                }
                return;
            }
            open.add(client); // before close() reads the set: it waits for this loop to end
            Thread.ofVirtual().start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        Socket backend = null;
        try {
            backend = connect();
            if (backend == null) {
                LOG.atInfo().addKeyValue("loadBalancer", loadBalancer).addKeyValue("port", port())
                        .addKeyValue("backends", backends).log("no backend accepted the connection; closing it");
                return;
            }
            open.add(backend);
            Splice.both(client, backend); // a client closed meanwhile ends it at once; the finally closes both
        } finally {
            close(client);
            if (backend != null) {
                close(backend);
            }
        }
    }

    /** The next backend in turn that accepts, trying each once; null when none does. */
    private Socket connect() {
        List<InetSocketAddress> candidates = backends;
        int start = (int) Math.floorMod(next.getAndIncrement(), (long) Math.max(1, candidates.size()));
        for (int i = 0; i < candidates.size(); i++) {
            InetSocketAddress target = candidates.get((start + i) % candidates.size());
            Socket socket = new Socket();
            try {
                socket.connect(target, CONNECT_TIMEOUT_MILLIS);
                return socket;
            } catch (IOException e) {
                close(socket);
                LOG.atDebug().addKeyValue("loadBalancer", loadBalancer).addKeyValue("backend", target)
                        .addKeyValue("error", e.toString()).log("backend refused; trying the next");
            }
        }
        return null;
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("loadBalancer", loadBalancer).addKeyValue("error", e.toString())
                    .log("closing a connection failed");
        }
    }

    /**
     * Stops listening and closes every connection it carries. Returns once the accept loop has ended: a socket
     * closed while a thread waits in {@code accept} may hold its port until that thread has run, and a listener
     * opened right after (the same port after a restart) must find it free.
     */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.atWarn().setCause(e).addKeyValue("loadBalancer", loadBalancer).log("closing a listener failed");
        }
        Thread loop = accepting;
        if (loop != null && loop != Thread.currentThread()) {
            try {
                if (!loop.join(ACCEPT_LOOP_END)) {
                    LOG.atWarn().addKeyValue("loadBalancer", loadBalancer).addKeyValue("port", server.getLocalPort())
                            .log("the listener's accept loop did not end in time; its port may stay taken a while");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Socket socket : List.copyOf(open)) {
            close(socket);
        }
    }

}
