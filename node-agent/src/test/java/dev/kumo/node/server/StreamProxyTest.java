package dev.kumo.node.server;

import dev.kumo.apimachinery.kubelet.HttpHead;
import dev.kumo.node.pods.ContainerStreams;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamProxyTest {

    /**
     * A streaming server that cannot be reached is the runtime's failure (502 with where it was looked for), not a
     * client that went away: a namespace's loopback address once made every exec end without a word.
     */
    @Test
    void anUnreachableStreamingServerIsA502NamingIt() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        HttpHead head = HttpHead.read(new ByteArrayInputStream(
                "POST /exec/default/web/c?command=true HTTP/1.1\r\nUpgrade: SPDY/3.1\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1)));
        ByteArrayOutputStream client = new ByteArrayOutputStream();

        assertThatThrownBy(() -> StreamProxy.proxy(head, new ByteArrayInputStream(new byte[0]), client, () -> { },
                URI.create("http://127.0.0.1:" + closed + "/exec/token"), "exec"))
                .isInstanceOfSatisfying(ContainerStreams.Unavailable.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("streaming server at 127.0.0.1:" + closed);
                });
        assertThat(client.size()).as("nothing written to the client before the error answer").isZero();
    }
}
