package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Service-account issuer discovery, as kube-apiserver serves it: an OpenID Provider configuration at
 * {@code /.well-known/openid-configuration} and the verification keys at {@code /openid/v1/jwks}, so that other
 * systems (AWS IAM OIDC federation, for one) can verify service-account tokens. Node credentials are not covered:
 * they have another issuer.
 */
public final class IssuerDiscovery {
    public static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";
    public static final String JWKS_PATH = "/openid/v1/jwks";
    /** kube-apiserver lets clients cache both documents for an hour. */
    public static final String CACHE_CONTROL = "public, max-age=3600";

    private final byte[] configuration;
    private final byte[] jwks;

    public IssuerDiscovery(TokenIssuer issuer) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer.settings().issuer());
        document.put("jwks_uri", issuer.settings().jwksUri());
        document.put("response_types_supported", List.of("id_token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of(JWSAlgorithm.RS256.getName()));
        this.configuration = JSONObjectUtils.toJSONString(document).getBytes(StandardCharsets.UTF_8);
        RSAKey key = new RSAKey.Builder(issuer.key().publicKey()).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).keyID(issuer.keyId()).build();
        this.jwks = JSONObjectUtils.toJSONString(new JWKSet(key).toJSONObject(true)).getBytes(StandardCharsets.UTF_8);
    }

    /** The OpenID Provider configuration (application/json). */
    public byte[] configuration() {
        return configuration.clone();
    }

    /** The public keys as a JWK set (application/jwk-set+json). */
    public byte[] jwks() {
        return jwks.clone();
    }
}
