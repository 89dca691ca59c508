package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local signing key: generated once, private to its owner, kept across restarts, and checked when read. */
class PemSigningKeyTest {
    @TempDir
    Path dir;

    @Test
    void aGeneratedKeyIsPrivateKeptAndSigns() throws Exception {
        Path file = PemSigningKey.createIfMissing(dir.resolve("pki/sa.key"));
        PemSigningKey first = PemSigningKey.read(file);
        PemSigningKey.createIfMissing(file);
        PemSigningKey again = PemSigningKey.read(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(first.publicKey().getModulus().bitLength()).isEqualTo(2048);
        assertThat(again.keyId()).isEqualTo(first.keyId());
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject("x").build());
        jwt.sign(first.signer());
        assertThat(jwt.verify(new RSASSAVerifier(again.publicKey()))).isTrue();
    }

    @Test
    void keysThatAreNotPkcs8RsaOfAtLeast2048BitsAreRefusedWithTheFileNamed() throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        Path small = pem("small.key", generate("RSA", 1024));
        Path ec = pem("ec.key", generate("EC", 256));
        Path garbage = Files.writeString(dir.resolve("garbage.key"),
                "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemSigningKey.read(pkcs1)).hasMessageContaining(pkcs1.toString())
                .hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> PemSigningKey.read(small)).hasMessageContaining("1024-bit")
                .hasMessageContaining("at least 2048");
        assertThatThrownBy(() -> PemSigningKey.read(ec)).hasMessageContaining("not a valid PKCS#8 RSA private key");
        assertThatThrownBy(() -> PemSigningKey.read(garbage)).hasMessageContaining(garbage.toString());
        assertThatThrownBy(() -> PemSigningKey.read(dir.resolve("missing.key")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.key");
    }

    private Path pem(String name, KeyPair keys) throws Exception {
        return Files.writeString(dir.resolve(name), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    }

    private static KeyPair generate(String algorithm, int size) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(size);
        return generator.generateKeyPair();
    }
}
