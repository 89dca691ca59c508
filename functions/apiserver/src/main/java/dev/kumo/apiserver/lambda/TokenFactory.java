package dev.kumo.apiserver.lambda;

import dev.kumo.apimachinery.aws.AwsClients;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.auth.authn.BootstrapTokenAuthenticator;
import dev.kumo.apiserver.auth.authn.NodeTokenAuthenticator;
import dev.kumo.apiserver.auth.authn.ServiceAccountTokenAuthenticator;
import dev.kumo.apiserver.auth.authn.TokenAuthenticator;
import dev.kumo.apiserver.auth.tokens.KmsSigningKey;
import dev.kumo.apiserver.auth.tokens.PemSigningKey;
import dev.kumo.apiserver.auth.tokens.SigningKey;
import dev.kumo.apiserver.auth.tokens.TokenIssuer;
import dev.kumo.apiserver.auth.tokens.TokenSettings;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The signed-token side of a function's security, from its environment: the signing key (a PEM file locally, a KMS
 * key in AWS; neither means no service-account tokens and no node credentials), the token settings
 * ({@link TokenSettings}), and the service-account, node and bootstrap token authenticators.
 */
public final class TokenFactory {
    /** A PKCS#8 PEM RSA private key (the local cluster's {@code pki/sa.key}). */
    public static final String ENV_SERVICE_ACCOUNT_KEY_FILE = "KUMO_SERVICE_ACCOUNT_KEY_FILE";
    /** The id, ARN or alias of an asymmetric RSA KMS key (SIGN_VERIFY) that signs tokens. */
    public static final String ENV_SERVICE_ACCOUNT_KMS_KEY_ID = "KUMO_SERVICE_ACCOUNT_KMS_KEY_ID";
    /** A KMS endpoint other than AWS's (an emulator in tests). */
    public static final String ENV_KMS_ENDPOINT = AwsClients.ENV_KMS_ENDPOINT;
    /** "false" turns bootstrap-token authentication off (kube-apiserver's --enable-bootstrap-token-auth). */
    public static final String ENV_BOOTSTRAP_TOKEN_AUTH = "KUMO_ENABLE_BOOTSTRAP_TOKEN_AUTH";

    private TokenFactory() {
    }

    /** The token issuer, or null when the environment names no signing key. */
    public static TokenIssuer issuer(Map<String, String> env, Clock clock) {
        SigningKey key = signingKey(env);
        return key == null ? null : new TokenIssuer(key, TokenSettings.fromEnvironment(env), clock);
    }

    /** Service-account tokens and node credentials when signing, then bootstrap tokens (unless turned off). */
    public static List<TokenAuthenticator> authenticators(Map<String, String> env, TokenIssuer issuer, Store store,
                                                          Clock clock) {
        List<TokenAuthenticator> authenticators = new ArrayList<>();
        if (issuer != null) {
            authenticators.add(new ServiceAccountTokenAuthenticator(issuer.serviceAccountVerifier(), store, clock));
            authenticators.add(new NodeTokenAuthenticator(issuer.nodeVerifier()));
        }
        if (!"false".equalsIgnoreCase(env.getOrDefault(ENV_BOOTSTRAP_TOKEN_AUTH, "true").strip())) {
            authenticators.add(new BootstrapTokenAuthenticator(store, clock));
        }
        return authenticators;
    }

    static SigningKey signingKey(Map<String, String> env) {
        String file = env.getOrDefault(ENV_SERVICE_ACCOUNT_KEY_FILE, "");
        String kmsKey = env.getOrDefault(ENV_SERVICE_ACCOUNT_KMS_KEY_ID, "");
        if (!file.isBlank() && !kmsKey.isBlank()) {
            throw new IllegalArgumentException("set one of " + ENV_SERVICE_ACCOUNT_KEY_FILE + " and "
                    + ENV_SERVICE_ACCOUNT_KMS_KEY_ID + ", not both");
        }
        if (!file.isBlank()) {
            return PemSigningKey.read(Path.of(file));
        }
        return kmsKey.isBlank() ? null : new KmsSigningKey(AwsClients.kms(env), kmsKey.strip());
    }
}
