package dev.kumo.node.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apiserver.auth.tokens.IssuerDiscovery;
import dev.kumo.apiserver.auth.tokens.PemSigningKey;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims;
import dev.kumo.apiserver.auth.tokens.TokenIssuer;
import dev.kumo.apiserver.auth.tokens.TokenSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's check of the API server's tokens, against tokens the API server's own issuer makes. */
class ApiServerTokensTest {
    private static final String REQUEST = "/containerLogs/default/web/web?follow=true";

    @TempDir
    Path dir;

    private TokenIssuer issuer(Path keyFile, Clock clock) {
        return new TokenIssuer(PemSigningKey.read(PemSigningKey.createIfMissing(keyFile)), TokenSettings.defaults(),
                clock);
    }

    private static JsonNode jwks(TokenIssuer issuer) {
        try {
            return new ObjectMapper().readTree(new IssuerDiscovery(issuer).jwks());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void acceptsTheTokenForThisNodeAndThisRequestOnly() throws Exception {
        TokenIssuer issuer = issuer(dir.resolve("sa.key"), Clock.systemUTC());
        AtomicInteger reads = new AtomicInteger();
        ApiServerTokens tokens = new ApiServerTokens("node-a", () -> {
            reads.incrementAndGet();
            return jwks(issuer);
        }, Clock.systemUTC());
        String token = "Bearer " + issuer.kubeletClientToken("node-a", "GET " + REQUEST).token();
        assertThatCode(() -> tokens.verify(token, "GET", REQUEST)).doesNotThrowAnyException();
        assertThatCode(() -> tokens.verify(token, "GET", REQUEST)).doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThat(reads).hasValue(1); // the keys are kept

        assertThatThrownBy(() -> tokens.verify(token, "GET", REQUEST + "&tailLines=5"))
                .hasMessage("issued for another request");
        assertThatThrownBy(() -> tokens.verify(token, "POST", REQUEST)).hasMessage("issued for another request");
        String other = "Bearer " + issuer.kubeletClientToken("node-b", "GET " + REQUEST).token();
        assertThatThrownBy(() -> tokens.verify(other, "GET", REQUEST)).hasMessage("not for node node-a");
        String serviceAccount = "Bearer " + issuer.serviceAccountToken(ServiceAccountClaims.forServiceAccount("default",
                new ServiceAccountClaims.ObjectRef("sa", "uid-1")), List.of("kumo:kubelet:node-a"), 600).token();
        assertThatThrownBy(() -> tokens.verify(serviceAccount, "GET", REQUEST))
                .hasMessageStartingWith("not issued for node agents");
        String node = "Bearer " + issuer.nodeToken("node-a", List.of("kumo:kubelet:node-a"), 600).token();
        assertThatThrownBy(() -> tokens.verify(node, "GET", REQUEST)).hasMessageStartingWith("not issued for node agents");
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> tokens.verify(forged, "GET", REQUEST)).hasMessageStartingWith("bad signature");
        assertThatThrownBy(() -> tokens.verify(null, "GET", REQUEST)).hasMessage("no bearer token");
    }

    @Test
    void refusesExpiredTokensAndKeysItDoesNotKnow() throws Exception {
        Instant issued = Instant.parse("2026-01-01T00:00:00Z");
        TokenIssuer issuer = issuer(dir.resolve("sa.key"), Clock.fixed(issued, ZoneOffset.UTC));
        String token = "Bearer " + issuer.kubeletClientToken("node-a", "GET " + REQUEST).token();
        ApiServerTokens late = new ApiServerTokens("node-a", () -> jwks(issuer),
                Clock.fixed(issued.plus(Duration.ofMinutes(3)), ZoneOffset.UTC));
        assertThatThrownBy(() -> late.verify(token, "GET", REQUEST)).hasMessage("expired");

        TokenIssuer stranger = issuer(dir.resolve("other.key"), Clock.fixed(issued, ZoneOffset.UTC));
        ApiServerTokens tokens = new ApiServerTokens("node-a", () -> jwks(stranger),
                Clock.fixed(issued, ZoneOffset.UTC));
        assertThatThrownBy(() -> tokens.verify(token, "GET", REQUEST)).hasMessageStartingWith("unknown signing key");
    }
}
