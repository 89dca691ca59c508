package dev.kumo.apimachinery.client;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * A PEM bundle of the JVM's own trusted roots whose subject contains a given text: in AWS, Amazon's roots (which
 * sign API Gateway's certificates), published to pods as {@code kube-root-ca.crt} without shipping or downloading
 * a bundle. The Lambda runtime's trust store is the source, so the bundle follows the runtime's updates.
 */
final class TrustedRoots {
    private TrustedRoots() {
    }

    static String pemBundle(String subjectContains) {
        List<X509Certificate> roots = Arrays.stream(defaultTrustManager().getAcceptedIssuers())
                .filter(root -> root.getSubjectX500Principal().getName().contains(subjectContains))
                .sorted(Comparator.comparing(root -> root.getSubjectX500Principal().getName()))
                .toList();
        if (roots.isEmpty()) {
            throw new IllegalStateException("no root the JVM trusts has a subject containing '" + subjectContains
                    + "'");
        }
        StringBuilder pem = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[]{'\n'});
        for (X509Certificate root : roots) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(root.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode " + root.getSubjectX500Principal(), e);
            }
        }
        return pem.toString();
    }

    private static X509TrustManager defaultTrustManager() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return Arrays.stream(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                    .map(X509TrustManager.class::cast).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the JVM has no X.509 trust manager"));
        } catch (NoSuchAlgorithmException | KeyStoreException e) {
            throw new IllegalStateException("cannot read the JVM's trusted roots", e);
        }
    }
}
