package dev.kumo.apimachinery.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/**
 * TLS that trusts the certificates of one PEM bundle and nothing else: how a client of the local cluster (its CA
 * is in the kubeconfig) or of a test server reaches it.
 */
public final class TrustedCa {
    private TrustedCa() {
    }

    /** A client TLS context that trusts every certificate in {@code pem}. */
    public static SSLContext context(String pem) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(pem), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context trusting the given CA", e);
        }
    }

    /** Trust managers for every certificate in {@code pem} (for SDK clients that take trust managers). */
    public static TrustManager[] trustManagers(String pem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int index = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new IllegalArgumentException("no certificate in the given PEM");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the given CA", e);
        }
    }
}
