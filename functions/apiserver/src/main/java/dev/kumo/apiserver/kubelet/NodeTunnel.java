package dev.kumo.apiserver.kubelet;

import dev.kumo.apimachinery.kubelet.ConnectionPipe;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An exec or port-forward upgrade carried to the node: a TLS connection to its kubelet endpoint (the pinned
 * certificate), the request with the API server's token and the client's upgrade headers, then the bytes of both
 * connections joined — kube-apiserver's {@code UpgradeAwareHandler}. The node's answer (101 with the protocol the
 * runtime chose, or its refusal) reaches the client as it is, so the client negotiates with the runtime directly.
 */
final class NodeTunnel implements ApiResponse.Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(NodeTunnel.class);
    /** The client's headers the upgrade needs; others (its credential above all) stay here. */
    private static final List<String> FORWARDED = List.of("Connection", "Upgrade", "User-Agent",
            "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
            "Origin");
    /** Sent once per value: Go's protocol negotiation reads each header line as one protocol. */
    private static final String PROTOCOL_VERSION = "X-Stream-Protocol-Version";
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final NodeEndpoint endpoint;
    private final ApiRequest request;
    private final String path;
    private final String token;

    NodeTunnel(NodeEndpoint endpoint, ApiRequest request, String path, String token) {
        this.endpoint = endpoint;
        this.request = request;
        this.path = path;
        this.token = token;
    }

    @Override
    public void connect(InputStream clientIn, OutputStream clientOut, Closeable client) throws IOException {
        try (SSLSocket node = (SSLSocket) PinnedTrust.context(endpoint.certificateSha256()).getSocketFactory()
                .createSocket()) {
            try {
                node.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), CONNECT_TIMEOUT_MILLIS);
                node.setTcpNoDelay(true);
                node.startHandshake();
                node.getOutputStream().write(head().getBytes(StandardCharsets.ISO_8859_1));
                node.getOutputStream().flush();
            } catch (IOException e) {
                LOG.atWarn().addKeyValue("node", endpoint.node()).addKeyValue("path", path).setCause(e)
                        .log("the node's kubelet endpoint cannot be reached");
                byte[] body = PodStreams.statusBody(KubeletRequests.unreachable(endpoint, e));
                clientOut.write(("HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                clientOut.write(body);
                clientOut.flush();
                client.close();
                return;
            }
            ConnectionPipe.join(clientIn, clientOut, client, node, "node-" + endpoint.node());
        }
    }

    private String head() {
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(endpoint.authority()).append("\r\n");
        head.append("Authorization: Bearer ").append(token).append("\r\n");
        for (String name : FORWARDED) {
            String value = request.header(name);
            if (value != null) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        }
        String versions = request.header(PROTOCOL_VERSION);
        if (versions != null) {
            for (String version : versions.split(",")) {
                if (!version.isBlank()) {
                    head.append(PROTOCOL_VERSION).append(": ").append(version.strip()).append("\r\n");
                }
            }
        }
        return head.append("\r\n").toString();
    }
}
