package dev.kumo.infra.state;

import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.IKey;

import java.util.Map;

/**
 * The API server's own keys, kept with the state because what they protect outlives any deployment: the key that
 * wraps the data keys of Secrets encrypted at rest (envelope encryption, Kubernetes' KMS v2), and the asymmetric
 * key that signs service-account and node tokens (its private half never leaves KMS; the API verifies with the
 * public half).
 *
 * @param secrets      symmetric; GenerateDataKey and Decrypt only
 * @param tokenSigning RSA 2048, sign and verify; Sign and GetPublicKey only
 */
public record ClusterKeys(IKey secrets, IKey tokenSigning) {
    /** Read by apimachinery's {@code StorageEncryption} and apiserver's {@code TokenFactory}. */
    public static final String ENV_SECRETS_KEY = "KUMO_KMS_KEY_ID";
    public static final String ENV_TOKEN_SIGNING_KEY = "KUMO_SERVICE_ACCOUNT_KMS_KEY_ID";

    public Map<String, String> environment() {
        return Map.of(ENV_SECRETS_KEY, secrets.getKeyArn(), ENV_TOKEN_SIGNING_KEY, tokenSigning.getKeyArn());
    }

    /** What the API server does with them, and nothing more. */
    public void grantApiServer(IGrantable apiServer) {
        secrets.grant(apiServer, "kms:GenerateDataKey", "kms:Decrypt");
        tokenSigning.grant(apiServer, "kms:Sign", "kms:GetPublicKey");
    }
}
