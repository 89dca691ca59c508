package dev.kumo.node.volumes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bound service-account tokens for projected volumes, as the kubelet's token manager gets them: a TokenRequest
 * bound to the pod (so the token dies with it), kept until 80% of its lifetime has passed or it is 24 hours old,
 * then requested again; the volume's content changes with it.
 */
final class ServiceAccountTokens {
    /** The kubelet's floor for {@code expirationSeconds} (the API refuses less). */
    static final long MINIMUM_EXPIRATION_SECONDS = 600;
    private static final Duration MAX_TOKEN_AGE = Duration.ofHours(24);

    private record Key(String podUid, String serviceAccount, String audience, long expirationSeconds) {
    }

    private record Token(String value, Instant issuedAt, Instant expiresAt) {
    }

    private final KubeClient client;
    private final Clock clock;
    private final Map<Key, Token> tokens = new ConcurrentHashMap<>();

    ServiceAccountTokens(KubeClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** A token for the pod's service account with this audience (empty: the API's own) and lifetime. */
    String token(ObjectNode pod, String audience, long expirationSeconds) throws VolumeError {
        String serviceAccount = pod.path("spec").path("serviceAccountName").asText("default");
        Key key = new Key(Meta.uid(pod), serviceAccount, audience, expirationSeconds);
        Token token = tokens.get(key);
        Instant now = clock.instant();
        if (token == null || needsRefresh(token, now)) {
            token = request(pod, serviceAccount, audience, expirationSeconds, now);
            tokens.put(key, token);
        }
        return token.value();
    }

    static boolean needsRefresh(Token token, Instant now) {
        Duration lifetime = Duration.between(token.issuedAt(), token.expiresAt());
        return !now.isBefore(token.issuedAt().plus(lifetime.multipliedBy(8).dividedBy(10)))
                || !now.isBefore(token.issuedAt().plus(MAX_TOKEN_AGE));
    }

    private Token request(ObjectNode pod, String serviceAccount, String audience, long expirationSeconds,
                          Instant now) throws VolumeError {
        if (client == null) {
            throw new VolumeError("service account tokens need the API, which this runtime was started without");
        }
        ObjectNode request = client.mapper().createObjectNode()
                .put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenRequest");
        ObjectNode spec = request.putObject("spec");
        if (!audience.isEmpty()) {
            spec.putArray("audiences").add(audience);
        }
        spec.put("expirationSeconds", Math.max(MINIMUM_EXPIRATION_SECONDS, expirationSeconds));
        spec.putObject("boundObjectRef").put("apiVersion", "v1").put("kind", "Pod").put("name", Meta.name(pod))
                .put("uid", Meta.uid(pod));
        try {
            ObjectNode answer = client.createSubresource(ResourceType.SERVICE_ACCOUNTS, Meta.namespace(pod),
                    serviceAccount, "token", request);
            String value = answer.path("status").path("token").asText("");
            String expires = answer.path("status").path("expirationTimestamp").asText("");
            if (value.isEmpty() || expires.isEmpty()) {
                throw new VolumeError("the TokenRequest for service account " + serviceAccount
                        + " answered without a token or its expiration");
            }
            return new Token(value, now, Instant.parse(expires));
        } catch (ApiError e) {
            throw new VolumeError("failed to fetch token: " + e.getMessage(), e);
        }
    }

    /** Forgets a pod's tokens (the pod is gone). */
    void forget(String podUid) {
        tokens.keySet().removeIf(key -> key.podUid().equals(podUid));
    }
}
