package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.impl.BaseJWSProvider;
import com.nimbusds.jose.util.Base64URL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * A signing key held by AWS KMS (an asymmetric RSA key with usage SIGN_VERIFY): the private half never leaves KMS,
 * each token is signed by a KMS {@code Sign} call with RSASSA_PKCS1_V1_5_SHA_256, and the public half is fetched
 * once with {@code GetPublicKey} and kept for verifying.
 */
public final class KmsSigningKey implements SigningKey {
    private static final Logger LOG = LoggerFactory.getLogger(KmsSigningKey.class);
    /** KMS signs a RAW message of at most this many bytes; longer ones are sent as their SHA-256 digest. */
    static final int MAX_RAW_MESSAGE_BYTES = 4096;
    private static final SigningAlgorithmSpec ALGORITHM = SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256;

    private final KmsClient kms;
    private final String keyArn;
    private final RSAPublicKey publicKey;

    /** Fetches the key's public half; fails when the key cannot sign RS256 tokens. */
    public KmsSigningKey(KmsClient kms, String keyId) {
        this.kms = kms;
        GetPublicKeyResponse response = kms.getPublicKey(r -> r.keyId(keyId));
        if (response.keyUsage() != KeyUsageType.SIGN_VERIFY || !response.signingAlgorithms().contains(ALGORITHM)) {
            throw new IllegalArgumentException("KMS key " + keyId + " cannot sign service-account tokens: it must be "
                    + "an RSA key with usage SIGN_VERIFY supporting " + ALGORITHM + " (it has usage "
                    + response.keyUsageAsString() + ", key spec " + response.keySpecAsString() + ")");
        }
        this.keyArn = response.keyId();
        this.publicKey = SigningKey.requireStrong(rsaPublicKey(response.publicKey().asByteArray(), keyId),
                "KMS key " + keyId);
        LOG.atInfo().addKeyValue("key", keyArn).addKeyValue("kid", keyId())
                .log("signing service-account tokens with a KMS key");
    }

    private static RSAPublicKey rsaPublicKey(byte[] der, String keyId) {
        try {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            return (RSAPublicKey) key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("KMS key " + keyId + " returned a public key that is not RSA", e);
        }
    }

    @Override
    public RSAPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public JWSSigner signer() {
        return new KmsSigner();
    }

    /** Signs through KMS, and checks each signature against the cached public key before it leaves. */
    private final class KmsSigner extends BaseJWSProvider implements JWSSigner {
        KmsSigner() {
            super(Set.of(JWSAlgorithm.RS256));
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
                throw new JOSEException("a KMS signing key signs RS256 only, not " + header.getAlgorithm());
            }
            byte[] signature;
            try {
                boolean raw = signingInput.length <= MAX_RAW_MESSAGE_BYTES;
                byte[] message = raw ? signingInput : MessageDigest.getInstance("SHA-256").digest(signingInput);
                signature = kms.sign(r -> r.keyId(keyArn).signingAlgorithm(ALGORITHM)
                        .messageType(raw ? MessageType.RAW : MessageType.DIGEST)
                        .message(SdkBytes.fromByteArray(message))).signature().asByteArray();
            } catch (SdkException e) {
                throw new JOSEException("KMS could not sign with key " + keyArn + ": " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new JOSEException("every JDK has SHA-256", e);
            }
            // A key replaced behind the cached public key would issue tokens nobody can verify: fail now instead.
            if (!verifies(signingInput, signature)) {
                throw new JOSEException("KMS key " + keyArn + " returned a signature its public key does not verify");
            }
            return Base64URL.encode(signature);
        }

        private boolean verifies(byte[] signingInput, byte[] signature) throws JOSEException {
            try {
                Signature verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify(publicKey);
                verifier.update(signingInput);
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                throw new JOSEException("cannot check the KMS signature: " + e.getMessage(), e);
            }
        }
    }
}
