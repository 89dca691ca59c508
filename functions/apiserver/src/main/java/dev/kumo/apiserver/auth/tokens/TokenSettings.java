package dev.kumo.apiserver.auth.tokens;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How the API server issues and accepts its tokens, after kube-apiserver's flags: the service-account issuer
 * ({@code --service-account-issuer}), the audiences the API itself answers to ({@code --api-audiences}, default the
 * issuer), the longest lifetime a TokenRequest gets ({@code --service-account-max-token-expiration}) and the JWKS
 * address published in the OpenID discovery document ({@code --service-account-jwks-uri}).
 *
 * <p>Node credentials are signed by the same key under a different issuer, {@link #NODE_ISSUER}: each verifier
 * accepts only its own issuer, so a node token is never taken for a service-account token or the other way round,
 * and nobody outside trusts node tokens through the published service-account discovery document.
 */
public record TokenSettings(String issuer, List<String> apiAudiences, Duration maxExpiration, String jwksUri) {
    public static final String ENV_ISSUER = "KUMO_SERVICE_ACCOUNT_ISSUER";
    public static final String ENV_API_AUDIENCES = "KUMO_API_AUDIENCES";
    public static final String ENV_MAX_TOKEN_EXPIRATION = "KUMO_SERVICE_ACCOUNT_MAX_TOKEN_EXPIRATION";
    public static final String ENV_JWKS_URI = "KUMO_SERVICE_ACCOUNT_JWKS_URI";
    /** kubeadm's issuer: the API server's in-cluster address. */
    public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";
    public static final Duration DEFAULT_MAX_EXPIRATION = Duration.ofHours(48);
    /** The issuer of node credentials; never an OpenID issuer, so no discovery document vouches for these tokens. */
    public static final String NODE_ISSUER = "urn:kumo:node-credentials";

    public TokenSettings {
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("the service-account issuer must not be empty");
        }
        if (issuer.equals(NODE_ISSUER)) {
            throw new IllegalArgumentException("the service-account issuer must differ from the node-credential "
                    + "issuer " + NODE_ISSUER);
        }
        apiAudiences = apiAudiences.isEmpty() ? List.of(issuer) : List.copyOf(apiAudiences);
        if (maxExpiration.toSeconds() < TokenRequestSpec.MIN_EXPIRATION_SECONDS) {
            throw new IllegalArgumentException("the longest token lifetime (" + maxExpiration + ") must be at least "
                    + TokenRequestSpec.MIN_EXPIRATION_SECONDS + " seconds");
        }
        jwksUri = jwksUri == null || jwksUri.isBlank() ? issuer.replaceAll("/+$", "") + "/openid/v1/jwks" : jwksUri;
    }

    public static TokenSettings defaults() {
        return new TokenSettings(DEFAULT_ISSUER, List.of(), DEFAULT_MAX_EXPIRATION, null);
    }

    /** From {@code KUMO_SERVICE_ACCOUNT_*} and {@code KUMO_API_AUDIENCES} (comma-separated); unset ones default. */
    public static TokenSettings fromEnvironment(Map<String, String> env) {
        String audiences = env.getOrDefault(ENV_API_AUDIENCES, "");
        String maxSeconds = env.getOrDefault(ENV_MAX_TOKEN_EXPIRATION, "");
        Duration max;
        try {
            max = maxSeconds.isBlank() ? DEFAULT_MAX_EXPIRATION : Duration.ofSeconds(Long.parseLong(maxSeconds.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV_MAX_TOKEN_EXPIRATION + " must be a number of seconds, not \""
                    + maxSeconds + "\"", e);
        }
        return new TokenSettings(env.getOrDefault(ENV_ISSUER, DEFAULT_ISSUER).strip(),
                Arrays.stream(audiences.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList(),
                max, env.get(ENV_JWKS_URI));
    }
}
