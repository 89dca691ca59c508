package dev.kumo.apiserver.front;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kumo.apimachinery.kubelet.ConnectionPipe;
import dev.kumo.apimachinery.kubelet.HttpHead;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.kubelet.PodStreams;
import dev.kumo.apiserver.lambda.ApiGatewayHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local stand-in for API Gateway: an HTTPS server that turns each request into a payload-format-2.0 event for
 * the API handler (the class CDK deploys). Unlike API Gateway it streams watches and logs to the client as they
 * happen, and carries connection upgrades (exec, port-forward) to the nodes. The local cluster serves it over TLS;
 * tests of API clients (the control loops') may serve it in plain HTTP on loopback.
 *
 * <p>The JDK's HTTP server, which answers ordinary requests, cannot hand a connection over after a {@code 101}, so
 * the front owns the listening socket: it reads the first request head of each connection itself, serves an
 * upgrade request there, and relays any other connection, bytes unchanged, to the HTTP server on a loopback port of
 * its own. An upgrade must therefore be a connection's first request, which is how kubectl and client-go send them
 * (each on a new connection).
 */
public final class ApiFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiFront.class);
    private static final int HEAD_TIMEOUT_MILLIS = 60_000;

    private final HttpServer server;
    private final ServerSocket listener;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ApiGatewayHandler handler;
    private volatile boolean closing;

    /** Serves HTTPS with {@code tls}, or plain HTTP when it is null. */
    public ApiFront(InetSocketAddress address, SSLContext tls, ApiGatewayHandler handler) throws IOException {
        this.handler = handler;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        this.listener = tls == null ? new ServerSocket(address.getPort(), 128, address.getAddress())
                : tls.getServerSocketFactory().createServerSocket(address.getPort(), 128, address.getAddress());
    }

    public void start() {
        server.start();
        executor.submit(this::accept);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket connection = listener.accept();
                executor.submit(() -> connection(connection));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    LOG.atWarn().setCause(e).log("accepting a connection failed");
                }
            }
        }
    }

    /** An upgrade request is served here; any other connection goes to the HTTP server as it is. */
    private void connection(Socket client) {
        try (client) {
            client.setSoTimeout(HEAD_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            HttpHead head = HttpHead.read(in);
            if (head == null) {
                return;
            }
            client.setSoTimeout(0); // watches, logs and exec sessions may be quiet for long
            if (head.upgrade()) {
                upgrade(head, in, out, client);
                return;
            }
            try (Socket inner = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
                inner.setTcpNoDelay(true);
                inner.getOutputStream().write(head.raw());
                ConnectionPipe.join(in, out, client, inner, "front");
            }
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("remote", client.getRemoteSocketAddress())
                    .log("connection ended: " + e.getMessage());
        } catch (RuntimeException e) {
            if (!closing) {
                LOG.atError().setCause(e).addKeyValue("remote", client.getRemoteSocketAddress())
                        .log("connection failed in the front");
            }
        }
    }

    private void upgrade(HttpHead head, InputStream in, OutputStream out, Socket client) throws IOException {
        long started = System.nanoTime();
        APIGatewayV2HTTPEvent event = PayloadFormat2.toEvent(head,
                client.getInetAddress().getHostAddress(), "127.0.0.1");
        ApiResponse response = handler.handle(event);
        switch (response) {
            case ApiResponse.Upgrade upgrade -> upgrade.tunnel().connect(in, out, client);
            case ApiResponse.Complete complete -> RawResponses.write(out, complete);
            case ApiResponse.Streaming streaming -> RawResponses.write(out, streaming);
        }
        LOG.atDebug().addKeyValue("method", head.method()).addKeyValue("path", head.path())
                .addKeyValue("upgrade", head.header("Upgrade")).addKeyValue("status", response.status())
                .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log("upgrade request served");
    }

    private void serve(HttpExchange exchange) {
        long started = System.nanoTime();
        int status = 0; // stays 0 when the handler gave no answer
        try (exchange) {
            APIGatewayV2HTTPEvent event = PayloadFormat2.toEvent(exchange, "127.0.0.1");
            ApiResponse response = handler.handle(event);
            if (response instanceof ApiResponse.Upgrade) {
                // only when an upgrade came after other requests on its connection (see the class comment)
                response = PodStreams.cannotUpgrade("a connection that carried other requests before",
                        "send it on a new connection");
            }
            status = response.status();
            response.headers().forEach((name, value) -> {
                if (!name.equalsIgnoreCase("Transfer-Encoding")) {
                    exchange.getResponseHeaders().set(name, value);
                }
            });
            switch (response) {
                case ApiResponse.Complete complete -> {
                    exchange.sendResponseHeaders(complete.status(), complete.body().length == 0 ? -1
                            : complete.body().length);
                    if (complete.body().length > 0) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(complete.body());
                        }
                    }
                }
                case ApiResponse.Streaming streaming -> {
                    exchange.sendResponseHeaders(streaming.status(), 0); // chunked
                    try (OutputStream out = exchange.getResponseBody()) {
                        // The server buffers the headers until the first chunk; a watch may have no event for a
                        // long time, and clients wait for the headers to know the watch started (kube-apiserver
                        // flushes them at once too).
                        out.flush();
                        streaming.body().writeTo(ApiResponse.Sink.of(out, Long.MAX_VALUE));
                    } catch (IOException clientLeft) {
                        LOG.atDebug().addKeyValue("path", exchange.getRequestURI().getPath())
                                .log("watch client went away");
                    }
                }
                case ApiResponse.Upgrade upgrade -> throw new IllegalStateException("answered above");
            }
        } catch (IOException e) {
            LOG.atDebug().setCause(e).addKeyValue("path", exchange.getRequestURI().getPath())
                    .log("connection closed while answering");
        } catch (RuntimeException e) {
            if (closing) {
                // Watches still open when the cluster stops are interrupted: expected, not a failure.
                LOG.atDebug().addKeyValue("path", exchange.getRequestURI().getPath())
                        .log("request ended by shutdown");
            } else {
                LOG.atError().setCause(e).addKeyValue("method", exchange.getRequestMethod())
                        .addKeyValue("path", exchange.getRequestURI().getPath()).log("request failed in the front");
            }
        } finally {
            // A watch is logged when it ends: its duration is how long it streamed.
            LOG.atDebug().addKeyValue("method", exchange.getRequestMethod())
                    .addKeyValue("uri", exchange.getRequestURI())
                    .addKeyValue("remote", exchange.getRemoteAddress())
                    .addKeyValue("status", status)
                    .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
                    .log("request served");
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.atWarn().setCause(e).log("closing the front's listener failed");
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
