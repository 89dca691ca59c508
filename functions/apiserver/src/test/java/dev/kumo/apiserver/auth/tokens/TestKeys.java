package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;

/** RSA keys for token tests, generated in memory (the PEM and KMS keys have tests of their own). */
public final class TestKeys {
    private TestKeys() {
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signing key over an in-memory key pair. */
    public static SigningKey signingKey(KeyPair keys) {
        return new SigningKey() {
            @Override
            public RSAPublicKey publicKey() {
                return (RSAPublicKey) keys.getPublic();
            }

            @Override
            public JWSSigner signer() {
                return new RSASSASigner(keys.getPrivate());
            }
        };
    }
}
