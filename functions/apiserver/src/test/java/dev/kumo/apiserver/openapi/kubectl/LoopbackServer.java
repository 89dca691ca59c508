package dev.kumo.apiserver.openapi.kubectl;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A plain-HTTP server on a free loopback port with one handler for every path, for kubectl in tests. */
public final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;

    public LoopbackServer(HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler);
        server.start();
    }

    /** The server URL for a kubeconfig. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
