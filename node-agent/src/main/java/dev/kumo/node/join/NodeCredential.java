package dev.kumo.node.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.ApiTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The node's credential as {@code system:node:<name>} (kumo's stand-in for the kubelet's client certificate, see
 * docs/tokens.md): obtained by trading the bootstrap token at {@code POST /api/v1/nodes/<name>/token}, and renewed
 * with the same request under the current credential once 70 to 90 % of its lifetime has passed (the kubelet's
 * certificate manager rotates in that window, jittered so that nodes started together do not renew together).
 * A credential that expired unrenewed is replaced through the bootstrap token again, as a kubelet with an expired
 * certificate falls back to its bootstrap kubeconfig.
 */
public final class NodeCredential implements Supplier<String> {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCredential.class);
    private static final String USER_AGENT = "kumo-node-agent";

    private final String nodeName;
    private final Long expirationSeconds;
    private final Clock clock;
    private final DoubleSupplier random;
    private final KubeClient bootstrap;
    private final KubeClient renewal;
    private volatile String token;
    private volatile Instant expiresAt;
    private volatile Instant renewAt;

    /**
     * @param expirationSeconds the lifetime to ask for, or null for the server's default (24 h)
     * @param random            uniform in [0, 1): where in the 70–90 % window renewal falls
     */
    public NodeCredential(ApiEndpoint api, String nodeName, String bootstrapToken, Long expirationSeconds,
                          Clock clock, DoubleSupplier random) {
        this.nodeName = nodeName;
        this.expirationSeconds = expirationSeconds;
        this.clock = clock;
        this.random = random;
        this.bootstrap = api.client(() -> bootstrapToken, USER_AGENT);
        this.renewal = api.client(this, USER_AGENT);
    }

    /** The current credential; {@link #obtain()} must have succeeded once. */
    @Override
    public String get() {
        String current = token;
        if (current == null) {
            throw new IllegalStateException("node " + nodeName + " has no credential yet");
        }
        return current;
    }

    /** Trades the bootstrap token for a credential. */
    public void obtain() {
        store(request(bootstrap), "bootstrap token");
    }

    /** When the credential should be renewed. */
    public Instant renewAt() {
        return renewAt;
    }

    /**
     * Renews the credential: with itself while it is valid, with the bootstrap token once it has expired (or when
     * the API no longer accepts it).
     */
    public void renew() {
        if (clock.instant().isBefore(expiresAt)) {
            try {
                store(request(renewal), "current credential");
                return;
            } catch (ApiError e) {
                if (e.code() != 401) {
                    throw e;
                }
                LOG.atWarn().addKeyValue("node", nodeName).log("the API refused the node credential (" + e.getMessage()
                        + "); trying the bootstrap token");
            }
        }
        obtain();
    }

    private ObjectNode request(KubeClient client) {
        ObjectNode body = client.mapper().createObjectNode()
                .put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenRequest");
        ObjectNode spec = body.putObject("spec");
        if (expirationSeconds != null) {
            spec.put("expirationSeconds", expirationSeconds);
        }
        return client.createSubresource(ResourceType.NODES, "", nodeName, "token", body);
    }

    private void store(ObjectNode answer, String via) {
        String issued = answer.path("status").path("token").asText("");
        String expiration = answer.path("status").path("expirationTimestamp").asText("");
        if (issued.isEmpty() || expiration.isEmpty()) {
            throw new IllegalStateException("the node token request for " + nodeName
                    + " answered without status.token or status.expirationTimestamp");
        }
        Instant now = clock.instant();
        Instant expires = ApiTime.parse(expiration);
        Duration lifetime = Duration.between(now, expires);
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalStateException("the node credential for " + nodeName + " expired on arrival ("
                    + expiration + ")");
        }
        token = issued;
        expiresAt = expires;
        renewAt = now.plus(Duration.ofMillis((long) (lifetime.toMillis() * (0.7 + 0.2 * random.getAsDouble()))));
        LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("via", via).addKeyValue("expires", expiration)
                .addKeyValue("renewAt", renewAt).log("obtained a node credential");
    }
}
