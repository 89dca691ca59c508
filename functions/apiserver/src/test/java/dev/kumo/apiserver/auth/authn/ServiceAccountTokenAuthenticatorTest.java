package dev.kumo.apiserver.auth.authn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims.ObjectRef;
import dev.kumo.apiserver.auth.tokens.SigningKey;
import dev.kumo.apiserver.auth.tokens.TestKeys;
import dev.kumo.apiserver.auth.tokens.TokenIssuer;
import dev.kumo.apiserver.auth.tokens.TokenSettings;
import dev.kumo.apiserver.rest.ApiHarness;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Service-account tokens live only as long as the objects they are bound to, checked against the store. */
class ServiceAccountTokenAuthenticatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.now();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final TokenSettings SETTINGS = TokenSettings.defaults();
    private static final SigningKey KEY = TestKeys.signingKey(TestKeys.rsa(2048));

    private final Store store = new ApiHarness().store();
    private final TokenIssuer issuer = new TokenIssuer(KEY, SETTINGS, CLOCK);
    private final ServiceAccountTokenAuthenticator authenticator =
            new ServiceAccountTokenAuthenticator(issuer.serviceAccountVerifier(), store, CLOCK);

    @Test
    void aPodBoundTokenGivesTheServiceAccountUserWithKubernetesExtras() {
        String saUid = put("serviceaccounts", "team-a", "builder");
        String podUid = put("pods", "team-a", "build-1");
        String token = token(claims("team-a", "builder", saUid).boundToPod(new ObjectRef("build-1", podUid),
                new ObjectRef("node-7", "node-uid-7")));

        UserInfo user = authenticator.authenticate(token).orElseThrow();

        assertThat(user.name()).isEqualTo("system:serviceaccount:team-a:builder");
        assertThat(user.uid()).isEqualTo(saUid);
        assertThat(user.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:team-a");
        assertThat(user.extra()).containsEntry("authentication.kubernetes.io/pod-name", List.of("build-1"))
                .containsEntry("authentication.kubernetes.io/pod-uid", List.of(podUid))
                .containsEntry("authentication.kubernetes.io/node-name", List.of("node-7"))
                .containsEntry("authentication.kubernetes.io/node-uid", List.of("node-uid-7"));
        assertThat(user.extra().get("authentication.kubernetes.io/credential-id")).singleElement()
                .asString().startsWith("JTI=");
    }

    @Test
    void aDeletedPodEndsItsTokens() {
        String token = webPodToken();
        assertThat(authenticator.authenticate(token)).isPresent();

        delete("pods", "default", "web");

        assertInvalid(token, "has been invalidated");
    }

    @Test
    void aPodRecreatedUnderTheSameNameDoesNotRevive() {
        String token = webPodToken();
        delete("pods", "default", "web");
        put("pods", "default", "web");

        assertInvalid(token, "does not match");
    }

    @Test
    void aPodAwaitingRemovalKeepsItsTokensForOneMinute() {
        String token = webPodToken();

        markDeleted("pods", "default", "web", NOW.minusSeconds(30));
        assertThat(authenticator.authenticate(token)).isPresent();

        markDeleted("pods", "default", "web", NOW.minusSeconds(61));
        assertInvalid(token, "has been invalidated");
    }

    @Test
    void aDeletedOrRecreatedServiceAccountEndsItsTokens() {
        String saUid = put("serviceaccounts", "default", "app");
        String token = token(claims("default", "app", saUid));
        assertThat(authenticator.authenticate(token)).isPresent();

        delete("serviceaccounts", "default", "app");
        assertInvalid(token, "has been deleted");

        put("serviceaccounts", "default", "app");
        assertInvalid(token, "service account UID");
    }

    @Test
    void aSecretBoundTokenEndsWithTheSecret() {
        String saUid = put("serviceaccounts", "default", "app");
        String secretUid = put("secrets", "default", "app-token");
        String token = token(claims("default", "app", saUid).boundToSecret(new ObjectRef("app-token", secretUid)));
        assertThat(authenticator.authenticate(token).orElseThrow().extra())
                .doesNotContainKey("authentication.kubernetes.io/pod-name");

        delete("secrets", "default", "app-token");

        assertInvalid(token, "has been invalidated");
    }

    @Test
    void aSubjectThatDisagreesWithThePrivateClaimIsRejected() throws Exception {
        String saUid = put("serviceaccounts", "default", "app");
        ServiceAccountClaims claims = claims("default", "app", saUid);
        JWTClaimsSet forged = new JWTClaimsSet.Builder(SignedJWT.parse(token(claims)).getJWTClaimsSet())
                .subject("system:serviceaccount:kube-system:admin").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.keyId()).build(), forged);
        jwt.sign(issuer.key().signer());

        assertInvalid(jwt.serialize(), "does not match");
    }

    @Test
    void otherTokensAreLeftToOtherAuthenticators() {
        assertThat(authenticator.authenticate("abcdef.0123456789abcdef")).isEmpty();
        assertThat(authenticator.authenticate(issuer.nodeToken("node-1", SETTINGS.apiAudiences(), 600).token()))
                .isEmpty();
    }

    /** A token of default/app bound to the pod default/web, both stored now. */
    private String webPodToken() {
        String saUid = put("serviceaccounts", "default", "app");
        String podUid = put("pods", "default", "web");
        return token(claims("default", "app", saUid).boundToPod(new ObjectRef("web", podUid), null));
    }

    private void assertInvalid(String token, String why) {
        assertThatThrownBy(() -> authenticator.authenticate(token)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining(why);
    }

    private String token(ServiceAccountClaims claims) {
        return issuer.serviceAccountToken(claims, SETTINGS.apiAudiences(), 3600).token();
    }

    private static ServiceAccountClaims claims(String namespace, String name, String uid) {
        return ServiceAccountClaims.forServiceAccount(namespace, new ObjectRef(name, uid));
    }

    /** Stores an object with a fresh uid and returns the uid. */
    private String put(String resource, String namespace, String name) {
        String uid = UUID.randomUUID().toString();
        ObjectNode object = JSON.createObjectNode();
        object.putObject("metadata").put("name", name).put("namespace", namespace).put("uid", uid);
        store.create(new ObjectKey(resource, namespace, name), object);
        return uid;
    }

    private void delete(String resource, String namespace, String name) {
        ObjectKey key = new ObjectKey(resource, namespace, name);
        StoredObject stored = store.get(key).orElseThrow();
        store.delete(key, stored.revision());
    }

    private void markDeleted(String resource, String namespace, String name, Instant when) {
        ObjectKey key = new ObjectKey(resource, namespace, name);
        StoredObject stored = store.get(key).orElseThrow();
        ObjectNode object = stored.value().deepCopy();
        ((ObjectNode) object.get("metadata")).put("deletionTimestamp", when.toString());
        store.update(key, object, stored.revision());
    }
}
