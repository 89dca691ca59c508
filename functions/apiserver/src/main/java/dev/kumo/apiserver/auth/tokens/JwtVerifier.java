package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.kumo.apiserver.auth.authn.InvalidTokenException;

import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the tokens of one issuer: RS256 signatures by the given key only (so {@code alg: none}, HMAC with the
 * public key as secret and any other algorithm fail), then issuer, audience, expiry, not-before and issued-at with
 * kube-apiserver's one minute of leeway. A token that is not a JWT, or names another issuer, is not this verifier's
 * to judge: another authenticator may take it.
 */
public final class JwtVerifier {
    /** go-jose's DefaultLeeway, which kube-apiserver uses. */
    static final int LEEWAY_SECONDS = 60;

    private final String issuer;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public JwtVerifier(String issuer, Collection<String> audiences, RSAPublicKey key, String keyId, Clock clock) {
        this.issuer = issuer;
        RSAKey jwk = new RSAKey.Builder(key).keyID(keyId).build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(new JWKSet(jwk))));
        processor.setJWTClaimsSetVerifier(new ClaimsVerifier(issuer, new HashSet<>(audiences), clock));
    }

    /**
     * The verified claims; empty when the token is not a JWT or another issuer's.
     *
     * @throws InvalidTokenException when it is this issuer's and does not hold
     */
    public Optional<JWTClaimsSet> verify(String token) {
        JWT unverified;
        try {
            unverified = JWTParser.parse(token);
            if (!issuer.equals(unverified.getJWTClaimsSet().getIssuer())) {
                return Optional.empty();
            }
        } catch (ParseException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(processor.process(unverified, null));
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidTokenException("token of issuer " + issuer + " rejected: " + e.getMessage(), e);
        }
    }

    /** Nimbus' checks on the claims against our clock, plus go-jose's "issued in the future". */
    private static final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
        private final Clock clock;

        ClaimsVerifier(String issuer, Set<String> audiences, Clock clock) {
            super(audiences, new JWTClaimsSet.Builder().issuer(issuer).build(),
                    new HashSet<>(Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME,
                            JWTClaimNames.ISSUED_AT)), null);
            this.clock = clock;
            setMaxClockSkew(LEEWAY_SECONDS);
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            super.verify(claims, context);
            if (claims.getIssueTime().toInstant().isAfter(clock.instant().plusSeconds(LEEWAY_SECONDS))) {
                throw new BadJWTException("JWT issued in the future");
            }
        }
    }
}
