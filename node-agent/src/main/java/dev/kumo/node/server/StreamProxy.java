package dev.kumo.node.server;

import dev.kumo.apimachinery.kubelet.HttpHead;
import dev.kumo.apimachinery.kubelet.ConnectionPipe;
import dev.kumo.node.pods.ContainerStreams;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Hands an upgrade request (exec, port-forward) on to the runtime's streaming server at the URL the CRI gave, then
 * copies bytes both ways until both sides are done: what the kubelet does with
 * {@code --redirect-container-streaming=false} (its {@code UpgradeAwareHandler}). The streaming server answers the
 * upgrade itself (101 with the protocol it chose, or an error the client sees as it is), so every protocol it
 * speaks (SPDY/3.1 and the WebSocket channel protocols) passes through untouched.
 */
final class StreamProxy {
    /** Headers not passed on: the hop's own, and the caller's credential, which the runtime has no use for. */
    private static final Set<String> DROPPED = Set.of("host", "authorization", "content-length",
            "transfer-encoding");

    private StreamProxy() {
    }

    /**
     * Proxies {@code head} (whose body-less request the client sent on {@code clientIn}/{@code clientOut}) to
     * {@code location}, keeping the client's query; returns when the stream ended, with {@code client} closed.
     */
    static void proxy(HttpHead head, InputStream clientIn, OutputStream clientOut, java.io.Closeable client,
                      URI location, String what) throws IOException, ContainerStreams.Unavailable {
        int port = location.getPort() > 0 ? location.getPort() : 80;
        try (Socket backend = new Socket()) {
            try {
                backend.connect(new InetSocketAddress(location.getHost(), port), 10_000);
            } catch (IOException e) {
                // not the client going away (which the caller hears of as a SocketException): the runtime's fault
                throw new ContainerStreams.Unavailable(502, "the container runtime's streaming server at "
                        + location.getHost() + ":" + port + " cannot be reached: " + e.getMessage());
            }
            backend.setTcpNoDelay(true);
            StringBuilder request = new StringBuilder();
            String query = head.rawQuery().isEmpty() ? "" : "?" + head.rawQuery();
            request.append(head.method()).append(' ').append(location.getRawPath()).append(query)
                    .append(" HTTP/1.1\r\n");
            request.append("Host: ").append(location.getHost()).append(':').append(port).append("\r\n");
            for (Map.Entry<String, String> header : head.headers()) {
                if (!DROPPED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                    request.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
                }
            }
            request.append("\r\n");
            OutputStream backendOut = backend.getOutputStream();
            backendOut.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            backendOut.flush();
            ConnectionPipe.join(clientIn, clientOut, client, backend, "stream-" + what);
        }
    }
}
