package dev.kumo.apimachinery.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RootCaBundleTest {

    @Test
    void amazonsRootsComeFromTheJvmsOwnTrustStore() throws Exception {
        String pem = RootCaBundle.fromEnvironment(Map.of(RootCaBundle.ENV_FROM_JVM, "CN=Amazon Root CA"));

        var certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(certificates).isNotEmpty().allSatisfy(certificate -> {
            X509Certificate x509 = (X509Certificate) certificate;
            assertThat(x509.getSubjectX500Principal().getName()).contains("CN=Amazon Root CA");
            assertThat(x509.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
        });
        // Amazon Root CA 1 signs the certificates of API Gateway's execute-api endpoints.
        assertThat(certificates).anySatisfy(certificate -> assertThat(((X509Certificate) certificate)
                .getSubjectX500Principal().getName()).contains("CN=Amazon Root CA 1"));
    }

    @Test
    void nothingConfiguredPublishesNothingAndAnUnknownRootIsAnError() {
        assertThat(RootCaBundle.fromEnvironment(Map.of())).isEmpty();
        assertThatThrownBy(() -> RootCaBundle.fromEnvironment(Map.of(RootCaBundle.ENV_FROM_JVM,
                "CN=No Such Root")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("No Such Root");
    }
}
