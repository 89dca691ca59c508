package dev.kumo.apimachinery.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handshakes that depend on it are tested where it is used (LocalPkiTest, the e2e and KMS tests). */
class TrustedCaTest {
    @Test
    void aBundleWithoutCertificatesIsRefusedRatherThanTrustingNothingSilently() {
        assertThatThrownBy(() -> TrustedCa.context(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> TrustedCa.context("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
                + "-----END CERTIFICATE-----\n"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot trust");
    }
}
