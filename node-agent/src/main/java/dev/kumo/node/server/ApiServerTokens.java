package dev.kumo.node.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.kubelet.KubeletApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks that a request to the agent comes from the API server: a bearer token (RS256 JWT) signed with one of the
 * cluster's keys (its JWKS, {@code /openid/v1/jwks}, read as the node), issued under {@link KubeletApi#ISSUER} to
 * {@link KubeletApi#SUBJECT}, for this node's audience, not expired, and naming exactly this request. The keys are
 * read again (at most every 10 s) when a token names a key id not yet known, so a rotated key is picked up.
 */
final class ApiServerTokens {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServerTokens.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Clock skew tolerated between the API server and the node, as JWT libraries commonly allow. */
    private static final Duration LEEWAY = Duration.ofSeconds(60);
    private static final Duration REFRESH_AT_MOST_EVERY = Duration.ofSeconds(10);

    private final String nodeName;
    private final Supplier<JsonNode> jwks;
    private final Clock clock;
    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile Instant fetched = Instant.EPOCH;

    /** @param jwks reads the cluster's JWKS document (the node's API client) */
    ApiServerTokens(String nodeName, Supplier<JsonNode> jwks, Clock clock) {
        this.nodeName = nodeName;
        this.jwks = jwks;
        this.clock = clock;
    }

    /** A token that fails a check. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    /** Verifies {@code authorization} (the header's value) for request {@code method} {@code target}. */
    void verify(String authorization, String method, String target) throws Rejected {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Rejected("no bearer token");
        }
        String[] parts = authorization.substring(7).strip().split("\\.");
        if (parts.length != 3) {
            throw new Rejected("the token is not a JWT");
        }
        JsonNode header = json(parts[0]);
        JsonNode claims = json(parts[1]);
        if (!"RS256".equals(header.path("alg").asText())) {
            throw new Rejected("unexpected signing algorithm " + header.path("alg").asText());
        }
        PublicKey key = key(header.path("kid").asText(""));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new Rejected("bad signature");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Rejected("bad signature: " + e.getMessage());
        }
        if (!KubeletApi.ISSUER.equals(claims.path("iss").asText())) {
            throw new Rejected("not issued for node agents (iss " + claims.path("iss").asText() + ")");
        }
        if (!KubeletApi.SUBJECT.equals(claims.path("sub").asText())) {
            throw new Rejected("not the API server's token (sub " + claims.path("sub").asText() + ")");
        }
        if (!audiences(claims.path("aud")).contains(KubeletApi.audience(nodeName))) {
            throw new Rejected("not for node " + nodeName);
        }
        Instant now = clock.instant();
        if (!claims.path("exp").canConvertToLong()
                || Instant.ofEpochSecond(claims.path("exp").asLong()).plus(LEEWAY).isBefore(now)) {
            throw new Rejected("expired");
        }
        if (claims.path("nbf").canConvertToLong()
                && Instant.ofEpochSecond(claims.path("nbf").asLong()).minus(LEEWAY).isAfter(now)) {
            throw new Rejected("not valid yet");
        }
        String request = method + " " + target;
        if (!request.equals(claims.path(KubeletApi.REQUEST_CLAIM).asText())) {
            throw new Rejected("issued for another request");
        }
    }

    private static java.util.List<String> audiences(JsonNode aud) {
        if (aud.isTextual()) {
            return java.util.List.of(aud.asText());
        }
        java.util.List<String> list = new java.util.ArrayList<>();
        aud.forEach(value -> list.add(value.asText()));
        return list;
    }

    private PublicKey key(String keyId) throws Rejected {
        PublicKey key = keys.get(keyId);
        if (key == null) {
            key = refresh(keyId);
        }
        if (key == null) {
            throw new Rejected("unknown signing key \"" + keyId + "\"");
        }
        return key;
    }

    /** Reads the keys again unless they were read lately (checked under the lock: requests that arrive together
     *  with a new key id wait for one read rather than each making its own). */
    private synchronized PublicKey refresh(String keyId) throws Rejected {
        if (keys.containsKey(keyId)
                || Duration.between(fetched, clock.instant()).compareTo(REFRESH_AT_MOST_EVERY) < 0) {
            return keys.get(keyId);
        }
        Map<String, PublicKey> read = new HashMap<>();
        try {
            for (JsonNode jwk : jwks.get().path("keys")) {
                if ("RSA".equals(jwk.path("kty").asText())) {
                    read.put(jwk.path("kid").asText(""), KeyFactory.getInstance("RSA").generatePublic(
                            new RSAPublicKeySpec(unsigned(jwk.path("n").asText()), unsigned(jwk.path("e").asText()))));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Rejected("cannot read the cluster's signing keys: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("node", nodeName).setCause(e).log("reading the cluster's signing keys failed");
            throw new Rejected("cannot read the cluster's signing keys: " + e.getMessage());
        }
        keys = Map.copyOf(read);
        fetched = clock.instant();
        LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("keyIds", read.keySet())
                .log("read the cluster's signing keys");
        return keys.get(keyId);
    }

    private static BigInteger unsigned(String base64Url) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(base64Url));
    }

    private static JsonNode json(String base64Url) throws Rejected {
        try {
            JsonNode node = MAPPER.readTree(Base64.getUrlDecoder().decode(base64Url));
            if (!(node instanceof ObjectNode)) {
                throw new Rejected("the token is not a JWT");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new Rejected("the token is not a JWT: " + e.getMessage());
        }
    }
}
