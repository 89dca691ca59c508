package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * A signing key read from a PEM file holding an unencrypted PKCS#8 RSA private key ({@code -----BEGIN PRIVATE
 * KEY-----}), as kube-apiserver's {@code --service-account-signing-key-file}. The local cluster keeps its key there.
 */
public final class PemSigningKey implements SigningKey {
    /** The size of keys this class generates (kubeadm's sa.key is 2048-bit RSA too). */
    public static final int GENERATED_BITS = 2048;
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;

    private PemSigningKey(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Reads the key; a missing, unreadable or non-RSA file, or one under 2048 bits, is an error naming the file. */
    public static PemSigningKey read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service-account signing key " + file, e);
        }
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the service-account signing key " + file + " holds no PKCS#8 \""
                    + BEGIN + "\" block (convert a PKCS#1 key with: openssl pkcs8 -topk8 -nocrypt -in old.key)");
        }
        RSAPrivateCrtKey key;
        try {
            key = parse(pem.substring(begin + BEGIN.length(), end));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the service-account signing key " + file
                    + " is not a valid PKCS#8 RSA private key: " + e.getMessage(), e);
        }
        return new PemSigningKey(key, SigningKey.requireStrong(publicKeyOf(key),
                "the service-account signing key " + file));
    }

    private static RSAPrivateCrtKey parse(String base64) throws GeneralSecurityException {
        byte[] der = Base64.getMimeDecoder().decode(base64);
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new InvalidKeySpecException("it lacks the RSA CRT parameters that give its public key");
        }
        return crt;
    }

    private static RSAPublicKey publicKeyOf(RSAPrivateCrtKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an RSA private key's modulus and exponent make a public key", e);
        }
    }

    /**
     * Generates a new RSA key into {@code file} (PKCS#8 PEM, mode 0600) unless the file exists; an existing key is
     * kept, so that tokens issued before a restart stay valid. Returns the file.
     */
    public static Path createIfMissing(Path file) {
        if (Files.exists(file)) {
            return file;
        }
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(GENERATED_BITS);
            byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
            String pem = BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(der) + "\n" + END + "\n";
            // Written beside the target and moved into place, so that a crash never leaves half a key behind.
            Path temporary = Files.createTempFile(directory, ".sa-key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the service-account signing key " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK can generate RSA keys", e);
        }
    }

    @Override
    public RSAPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public JWSSigner signer() {
        return new RSASSASigner(privateKey);
    }
}
