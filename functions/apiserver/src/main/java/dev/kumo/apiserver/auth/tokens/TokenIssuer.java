package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kumo.apimachinery.kubelet.KubeletApi;
import dev.kumo.apiserver.auth.UserInfo;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Issues the API server's signed tokens (kube-apiserver's {@code TokenGenerator}): service-account tokens with
 * Kubernetes' claims, and node credentials under {@link TokenSettings#NODE_ISSUER}. Also hands out the verifiers
 * for both, on the same key.
 */
public final class TokenIssuer {
    private final SigningKey key;
    private final TokenSettings settings;
    private final Clock clock;
    private final String keyId;

    public TokenIssuer(SigningKey key, TokenSettings settings, Clock clock) {
        this.key = key;
        this.settings = settings;
        this.clock = clock;
        this.keyId = key.keyId();
    }

    /** A signed token, when it was issued and expires, and its JWT id (the credential id users and audit carry). */
    public record IssuedToken(String token, Instant issuedAt, Instant expiration, String id) {
        @Override
        public String toString() {
            return "IssuedToken[issuedAt=" + issuedAt + ", expiration=" + expiration + ", id=" + id + "]"; // no token
        }
    }

    public TokenSettings settings() {
        return settings;
    }

    public SigningKey key() {
        return key;
    }

    public String keyId() {
        return keyId;
    }

    /** A token for the service account of {@code claims}, for the audiences, valid for the given seconds. */
    public IssuedToken serviceAccountToken(ServiceAccountClaims claims, List<String> audiences, long seconds) {
        return sign(base(settings.issuer(), claims.username(), audiences, seconds)
                .claim(ServiceAccountClaims.CLAIM, claims.toClaim()));
    }

    /** A node credential: subject {@code system:node:<name>}, for the API's own audiences. */
    public IssuedToken nodeToken(String nodeName, List<String> audiences, long seconds) {
        return sign(base(TokenSettings.NODE_ISSUER, UserInfo.NODE_USER_PREFIX + nodeName, audiences, seconds));
    }

    /**
     * The API server's credential for one request to a node agent's kubelet endpoint ({@link KubeletApi}): its own
     * issuer (no API verifier accepts it), for that node's audience and that request, valid for a minute.
     */
    public IssuedToken kubeletClientToken(String nodeName, String request) {
        return sign(base(KubeletApi.ISSUER, KubeletApi.SUBJECT, List.of(KubeletApi.audience(nodeName)),
                KubeletApi.TOKEN_SECONDS).claim(KubeletApi.REQUEST_CLAIM, request));
    }

    public JwtVerifier serviceAccountVerifier() {
        return new JwtVerifier(settings.issuer(), settings.apiAudiences(), key.publicKey(), keyId, clock);
    }

    public JwtVerifier nodeVerifier() {
        return new JwtVerifier(TokenSettings.NODE_ISSUER, settings.apiAudiences(), key.publicKey(), keyId, clock);
    }

    private JWTClaimsSet.Builder base(String issuer, String subject, List<String> audiences, long seconds) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audiences)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(seconds))).jwtID(UUID.randomUUID().toString());
    }

    private IssuedToken sign(JWTClaimsSet.Builder claims) {
        JWTClaimsSet set = claims.build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), set);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("failed to generate token: " + e.getMessage(), e);
        }
        return new IssuedToken(jwt.serialize(), set.getIssueTime().toInstant(), set.getExpirationTime().toInstant(),
                set.getJWTID());
    }
}
