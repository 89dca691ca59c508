package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.util.Base64URL;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;

/**
 * The RSA key that signs the API server's tokens (RS256): a key file locally, an AWS KMS key in AWS. Only the public
 * half is ever needed to verify them.
 */
public interface SigningKey {
    /** The smallest RSA modulus accepted, as for kube-apiserver's service-account keys. */
    int MIN_RSA_BITS = 2048;

    RSAPublicKey publicKey();

    /** An RS256 signer with the private half. */
    JWSSigner signer();

    /**
     * The key id tokens carry in their {@code kid} header, as kube-apiserver derives it: the unpadded base64url
     * SHA-256 of the public key's DER (PKIX) encoding, so that it is stable and verifiers can pick the key.
     */
    default String keyId() {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(publicKey().getEncoded())).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Refuses keys shorter than {@link #MIN_RSA_BITS}; {@code source} names the key in the message. */
    static RSAPublicKey requireStrong(RSAPublicKey key, String source) {
        int bits = key.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new IllegalArgumentException(source + " is a " + bits + "-bit RSA key; at least " + MIN_RSA_BITS
                    + " bits are required");
        }
        return key;
    }
}
