package dev.kumo.local.pki;

import dev.kumo.apimachinery.client.TrustedCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPkiTest {

    @Test
    void theCaSurvivesARestartAndServingCertificatesChainToIt(@TempDir Path home) throws Exception {
        LocalPki first = LocalPki.loadOrCreate(home);
        String caPem = first.caCertificatePem();

        LocalPki second = LocalPki.loadOrCreate(home);

        assertThat(second.caCertificatePem()).isEqualTo(caPem);
        assertThat(Files.getPosixFilePermissions(home.resolve("ca.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        handshake(second.servingContext("127.0.0.1", "localhost"), caPem);
    }

    /** A TLS handshake on loopback whose client trusts only the CA and checks the 127.0.0.1 SAN. */
    private static void handshake(SSLContext server, String caPem) throws Exception {
        SSLContext client = TrustedCa.context(caPem);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.startHandshake();
                    socket.getOutputStream().write(1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                var parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertThat(socket.getInputStream().read()).isEqualTo(1);
            }
            accepted.get();
        }
    }
}
