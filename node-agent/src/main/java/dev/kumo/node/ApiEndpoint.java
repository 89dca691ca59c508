package dev.kumo.node;

import dev.kumo.apimachinery.client.KubeClient;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The API server as node agents reach it: its URL and one HTTP client (connection pool, TLS trusting the cluster's
 * CA) that every agent of this JVM shares, each with its own credential.
 */
public final class ApiEndpoint {
    private final URI server;
    private final HttpClient http;

    private ApiEndpoint(URI server, HttpClient http) {
        this.server = server;
        this.http = http;
    }

    /**
     * The API at {@code server}, whose serving certificate {@code caCertificatePem} (one or more PEM certificates)
     * signs; null trusts the JVM's default CAs (and is what a plain-HTTP test server needs).
     */
    public static ApiEndpoint of(URI server, String caCertificatePem) {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1);
        if (caCertificatePem != null) {
            http.sslContext(trusting(caCertificatePem));
        }
        return new ApiEndpoint(server, http.build());
    }

    /** A client that authenticates with whatever {@code token} holds at each request. */
    public KubeClient client(Supplier<String> token, String userAgent) {
        return new KubeClient(server, http, token, userAgent);
    }

    private static SSLContext trusting(String pem) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new IllegalArgumentException("the CA bundle holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot read the cluster CA certificate: " + e.getMessage(), e);
        }
    }
}
