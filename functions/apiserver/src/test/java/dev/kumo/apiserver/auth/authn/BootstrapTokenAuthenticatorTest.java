package dev.kumo.apiserver.auth.authn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.rest.ApiHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bootstrap tokens against their kube-system secrets, by Kubernetes' rules. */
class BootstrapTokenAuthenticatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final Store store = new ApiHarness().store();
    private final BootstrapTokenAuthenticator authenticator =
            new BootstrapTokenAuthenticator(store, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aValidTokenIsTheBootstrapUserWithItsExtraGroups() {
        put("abcdef", data("abcdef", "0123456789abcdef", Map.of("expiration", "2026-11-24T12:00:00Z",
                "auth-extra-groups", "system:bootstrappers:kumo:default-node-token,system:bootstrappers:kumo:x")));

        UserInfo user = authenticator.authenticate("abcdef.0123456789abcdef").orElseThrow();

        assertThat(user.name()).isEqualTo("system:bootstrap:abcdef");
        assertThat(user.groups()).containsExactly("system:bootstrappers",
                "system:bootstrappers:kumo:default-node-token", "system:bootstrappers:kumo:x");
    }

    @Test
    void anExpiredTokenIsRejected() {
        put("abcdef", data("abcdef", "0123456789abcdef", Map.of("expiration", "2026-11-23T11:59:59Z")));
        put("ghijkl", data("ghijkl", "0123456789abcdef", Map.of("expiration", "next tuesday")));

        assertInvalid("abcdef.0123456789abcdef", "expired");
        assertInvalid("ghijkl.0123456789abcdef", "expired");
    }

    @Test
    void aWrongSecretIsRejected() {
        put("abcdef", data("abcdef", "0123456789abcdef", Map.of()));

        assertInvalid("abcdef.0123456789abcdeg", "token-secret");
        assertInvalid("abcdef.aaaaaaaaaaaaaaaa", "token-secret");
    }

    @Test
    void aTokenNotMarkedForAuthenticationIsRejected() {
        Map<String, String> signingOnly = data("abcdef", "0123456789abcdef", Map.of());
        signingOnly.put("usage-bootstrap-authentication", "false");
        signingOnly.put("usage-bootstrap-signing", "true");
        put("abcdef", signingOnly);

        assertInvalid("abcdef.0123456789abcdef", "usage-bootstrap-authentication");
    }

    @Test
    void aSecretOfAnotherTypeOrWithAMismatchedIdOrBadGroupsIsRejected() {
        put("abcdef", data("abcdef", "0123456789abcdef", Map.of()), "Opaque");
        put("ghijkl", data("zzzzzz", "0123456789abcdef", Map.of()));
        put("mnopqr", data("mnopqr", "0123456789abcdef", Map.of("auth-extra-groups", "system:masters")));

        assertInvalid("abcdef.0123456789abcdef", "invalid type");
        assertInvalid("ghijkl.0123456789abcdef", "token-id");
        assertInvalid("mnopqr.0123456789abcdef", "auth-extra-groups");
    }

    @Test
    void tokensOfAnotherShapeOrWithoutASecretAreLeftToOtherAuthenticators() {
        assertThat(authenticator.authenticate("nosuch.0123456789abcdef")).isEmpty();
        assertThat(authenticator.authenticate("ABCDEF.0123456789abcdef")).isEmpty();
        assertThat(authenticator.authenticate("abcdef.0123456789abcde")).isEmpty();
        assertThat(authenticator.authenticate("eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).isEmpty();
    }

    private void assertInvalid(String token, String why) {
        assertThatThrownBy(() -> authenticator.authenticate(token)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining(why);
    }

    private static Map<String, String> data(String id, String secret, Map<String, String> more) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("token-id", id);
        data.put("token-secret", secret);
        data.put("usage-bootstrap-authentication", "true");
        data.putAll(more);
        return data;
    }

    private void put(String id, Map<String, String> data) {
        put(id, data, "bootstrap.kubernetes.io/token");
    }

    private void put(String id, Map<String, String> data, String type) {
        ObjectNode secret = JSON.createObjectNode();
        secret.putObject("metadata").put("name", "bootstrap-token-" + id).put("namespace", "kube-system")
                .put("uid", id + "-uid");
        secret.put("type", type);
        ObjectNode encoded = secret.putObject("data");
        data.forEach((key, value) -> encoded.put(key, Base64.getEncoder()
                .encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        store.create(new ObjectKey("secrets", "kube-system", "bootstrap-token-" + id), secret);
    }
}
