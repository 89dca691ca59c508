package dev.kumo.node.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.ApiTime;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Bootstrap tokens as kubeadm makes them: {@code <id>.<secret>} ({@code [a-z0-9]{6}.[a-z0-9]{16}}), stored as the
 * Secret {@code kube-system/bootstrap-token-<id>} of type {@code bootstrap.kubernetes.io/token}, usable for
 * authentication only, with an expiration. Whoever creates one needs to create Secrets in kube-system.
 */
public final class BootstrapTokens {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private BootstrapTokens() {
    }

    /** A token created through {@code client}: its text, and the Secret's name (to delete it when done). */
    public record Token(String token, String secretName) {
    }

    public static Token create(KubeClient client, Clock clock, Duration ttl, String description) {
        String id = random(6);
        String secret = random(16);
        ObjectNode object = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "Secret")
                .put("type", "bootstrap.kubernetes.io/token");
        String name = "bootstrap-token-" + id;
        object.putObject("metadata").put("name", name).put("namespace", "kube-system");
        object.putObject("stringData")
                .put("description", description)
                .put("token-id", id)
                .put("token-secret", secret)
                .put("expiration", ApiTime.time(clock.instant().plus(ttl)))
                .put("usage-bootstrap-authentication", "true");
        client.create(ResourceType.SECRETS, "kube-system", object);
        return new Token(id + "." + secret, name);
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
