package dev.kumo.apiserver.front;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.lambda.ApiGatewayHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local stand-in for API Gateway: an HTTPS server that turns each request into a payload-format-2.0 event for
 * the API handler (the class CDK deploys). Unlike API Gateway it streams watches to the client as they happen.
 * The local cluster serves it over TLS; tests of API clients (the control loops') may serve it in plain HTTP on
 * loopback.
 */
public final class ApiFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiFront.class);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ApiGatewayHandler handler;
    private volatile boolean closing;

    /** Serves HTTPS with {@code tls}, or plain HTTP when it is null. */
    public ApiFront(InetSocketAddress address, SSLContext tls, ApiGatewayHandler handler) throws IOException {
        this.handler = handler;
        if (tls == null) {
            this.server = HttpServer.create(address, 128);
        } else {
            HttpsServer https = HttpsServer.create(address, 128);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            this.server = https;
        }
        server.setExecutor(executor);
        server.createContext("/", this::serve);
    }

    public void start() {
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void serve(HttpExchange exchange) {
        long started = System.nanoTime();
        int status = 0; // stays 0 when the handler gave no answer
        try (exchange) {
            APIGatewayV2HTTPEvent event = PayloadFormat2.toEvent(exchange, "127.0.0.1");
            ApiResponse response = handler.handle(event);
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
        server.stop(0);
        executor.shutdownNow();
    }
}
