package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.kumo.apiserver.auth.authn.InvalidTokenException;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims.ObjectRef;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules a signed token must pass, and the forgeries and mix-ups that must fail them. */
class JwtVerifierTest {
    private static final KeyPair KEYS = TestKeys.rsa(2048);
    private static final KeyPair OTHER_KEYS = TestKeys.rsa(2048);
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final TokenSettings SETTINGS = TokenSettings.defaults();
    private static final String ISSUER = TokenSettings.DEFAULT_ISSUER;
    private static final ServiceAccountClaims CLAIMS = ServiceAccountClaims.forServiceAccount("default",
            new ObjectRef("builder", "sa-uid-1"));

    private final TokenIssuer issuer = new TokenIssuer(TestKeys.signingKey(KEYS), SETTINGS, CLOCK);
    private final JwtVerifier verifier = issuer.serviceAccountVerifier();

    private static TokenIssuer issuerAt(Instant time) {
        return new TokenIssuer(TestKeys.signingKey(KEYS), SETTINGS, Clock.fixed(time, ZoneOffset.UTC));
    }

    private String token() {
        return issuer.serviceAccountToken(CLAIMS, SETTINGS.apiAudiences(), 3600).token();
    }

    @Test
    void aTokenItIssuedVerifiesWithKubernetesClaims() throws Exception {
        SignedJWT parsed = SignedJWT.parse(token());
        JWTClaimsSet claims = verifier.verify(parsed.serialize()).orElseThrow();

        assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(parsed.getHeader().getKeyID()).isEqualTo(issuer.keyId()).isNotBlank();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getSubject()).isEqualTo("system:serviceaccount:default:builder");
        assertThat(claims.getAudience()).containsExactly(ISSUER);
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getJSONObjectClaim("kubernetes.io")).containsEntry("namespace", "default")
                .containsKey("serviceaccount");
    }

    @Test
    void expiredTokensAreRejectedAfterOneMinuteOfLeeway() {
        String expiredJustNow = issuerAt(NOW.minusSeconds(3600 + 30)).serviceAccountToken(CLAIMS,
                SETTINGS.apiAudiences(), 3600).token();
        String expired = issuerAt(NOW.minusSeconds(3600 + 61)).serviceAccountToken(CLAIMS,
                SETTINGS.apiAudiences(), 3600).token();

        assertThat(verifier.verify(expiredJustNow)).isPresent();
        assertRejected(expired, "Expired");
    }

    @Test
    void tokensNotYetValidOrIssuedInTheFutureAreRejected() {
        String future = issuerAt(NOW.plus(Duration.ofMinutes(5))).serviceAccountToken(CLAIMS,
                SETTINGS.apiAudiences(), 3600).token();

        assertRejected(future, "before use time");
    }

    @Test
    void aTokenSignedByAnotherKeyIsRejected() {
        TokenIssuer stranger = new TokenIssuer(TestKeys.signingKey(OTHER_KEYS), SETTINGS, CLOCK);
        String otherKid = stranger.serviceAccountToken(CLAIMS, SETTINGS.apiAudiences(), 3600).token();
        String ourKid = signed(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.keyId()).build(),
                claims(), new RSASSASigner(OTHER_KEYS.getPrivate()));
        String noKid = signed(new JWSHeader(JWSAlgorithm.RS256), claims(), new RSASSASigner(OTHER_KEYS.getPrivate()));

        assertRejected(otherKid, "no matching key");
        assertRejected(ourKid, "Invalid signature");
        assertRejected(noKid, "Invalid signature");
    }

    @Test
    void unsignedAlgNoneTokensAreRejected() {
        String none = new PlainJWT(claims()).serialize();

        assertThat(none).endsWith(".");
        assertRejected(none, "Unsecured");
    }

    @Test
    void hmacWithThePublicKeyAsSecretIsRejected() throws Exception {
        byte[] der = KEYS.getPublic().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
        String withDer = signed(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.keyId()).build(), claims(),
                new MACSigner(der));
        String withPem = signed(new JWSHeader(JWSAlgorithm.HS256), claims(),
                new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)));

        assertRejected(withDer, "Another algorithm expected");
        assertRejected(withPem, "Another algorithm expected");
    }

    @Test
    void otherRsaAlgorithmsWithTheRightKeyAreRejected() {
        String rs512 = signed(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(issuer.keyId()).build(), claims(),
                new RSASSASigner(KEYS.getPrivate()));

        assertRejected(rs512, "Another algorithm expected");
    }

    @Test
    void aTamperedPayloadIsRejected() {
        String[] parts = token().split("\\.");
        JWTClaimsSet forged = new JWTClaimsSet.Builder(claims()).subject("system:serviceaccount:kube-system:admin")
                .build();
        String tampered = parts[0] + "." + Base64URL.encode(forged.toString()) + "." + parts[2];

        assertRejected(tampered, "Invalid signature");
    }

    @Test
    void aTokenForAnotherAudienceIsRejected() {
        String vault = issuer.serviceAccountToken(CLAIMS, List.of("vault"), 3600).token();
        String both = issuer.serviceAccountToken(CLAIMS, List.of("vault", ISSUER), 3600).token();

        assertRejected(vault, "audience");
        assertThat(verifier.verify(both)).isPresent();
    }

    @Test
    void theApiAudiencesAreConfigurable() {
        TokenSettings settings = new TokenSettings(ISSUER, List.of("kumo-api", "sts.amazonaws.com"),
                TokenSettings.DEFAULT_MAX_EXPIRATION, null);
        TokenIssuer configured = new TokenIssuer(TestKeys.signingKey(KEYS), settings, CLOCK);

        assertThat(configured.serviceAccountVerifier().verify(configured.serviceAccountToken(CLAIMS,
                List.of("kumo-api"), 3600).token())).isPresent();
        assertThatThrownBy(() -> configured.serviceAccountVerifier().verify(token()))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("audience");
    }

    @Test
    void tokensOfOtherIssuersAndNonJwtsAreLeftToOtherAuthenticators() {
        String otherIssuer = signed(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.keyId()).build(),
                new JWTClaimsSet.Builder(claims()).issuer("https://oidc.example.com").build(),
                new RSASSASigner(KEYS.getPrivate()));

        assertThat(verifier.verify(otherIssuer)).isEmpty();
        assertThat(verifier.verify("abcdef.0123456789abcdef")).isEmpty();
        assertThat(verifier.verify("not a token")).isEmpty();
        assertThat(verifier.verify("e30.e30.e30")).isEmpty();
    }

    @Test
    void nodeCredentialsAndServiceAccountTokensNeverPassForEachOther() {
        String node = issuer.nodeToken("node-1", SETTINGS.apiAudiences(), 3600).token();
        String serviceAccount = token();

        assertThat(issuer.nodeVerifier().verify(node).orElseThrow().getSubject()).isEqualTo("system:node:node-1");
        assertThat(verifier.verify(node)).isEmpty();
        assertThat(issuer.nodeVerifier().verify(serviceAccount)).isEmpty();
    }

    @Test
    void aTokenWithoutSubjectOrExpiryIsRejected() {
        JWTClaimsSet noExpiry = new JWTClaimsSet.Builder().issuer(ISSUER).subject("system:serviceaccount:a:b")
                .audience(ISSUER).issueTime(Date.from(NOW)).build();

        assertRejected(signed(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.keyId()).type(JOSEObjectType.JWT)
                .build(), noExpiry, new RSASSASigner(KEYS.getPrivate())), "missing required claims");
    }

    private void assertRejected(String token, String why) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining(why);
    }

    private static JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject(CLAIMS.username()).audience(ISSUER)
                .issueTime(Date.from(NOW)).notBeforeTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(600)))
                .claim(ServiceAccountClaims.CLAIM, CLAIMS.toClaim()).build();
    }

    private static String signed(JWSHeader header, JWTClaimsSet claims, com.nimbusds.jose.JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
