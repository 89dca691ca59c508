package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kumo.apiserver.auth.authz.Decision;
import dev.kumo.apiserver.auth.tokens.TokenSettings;
import dev.kumo.apiserver.protobuf.KubernetesProtobuf;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The TokenRequest API end to end through the API server: tokens it issues authenticate their service account until
 * the bound pod goes; bad requests get Kubernetes' answers; bootstrap tokens trade for node credentials.
 *
 * <p>Only system:masters is authorized on this base, so a 403 that names the user is how these tests see whom the
 * server authenticated.
 */
class TokenRequestTest {
    private static final String NS = "/api/v1/namespaces/default";
    private static final String ISSUER = TokenSettings.DEFAULT_ISSUER;

    /** Lets bootstrap-token users ask for node credentials, as the RBAC defaults (system:node-bootstrapper) do. */
    private final TestApi api = new TestApi((user, request) -> user.inGroup("system:bootstrappers")
            && request.verb().equals("create") && request.resourceWithSubresource().equals("nodes/token")
            ? Decision.allow("node bootstrapping") : Decision.noOpinion(""));

    @Test
    void aPodBoundTokenAuthenticatesItsServiceAccountUntilThePodIsDeleted() throws Exception {
        String saUid = serviceAccount("builder");
        String podUid = pod("build-1", "builder");

        TestApi.Answer issued = api.call("POST", NS + "/serviceaccounts/builder/token", """
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest",
                 "spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"build-1"}}}""");

        assertThat(issued.status()).as(issued.text()).isEqualTo(201);
        assertThat(issued.body().path("kind").asText()).isEqualTo("TokenRequest");
        assertThat(issued.body().at("/metadata/name").asText()).isEqualTo("builder");
        assertThat(issued.body().at("/metadata/uid").asText()).isEqualTo(saUid);
        assertThat(issued.body().at("/spec/audiences/0").asText()).isEqualTo(ISSUER);
        assertThat(issued.body().at("/spec/expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(Instant.parse(issued.body().at("/status/expirationTimestamp").asText()))
                .isCloseTo(Instant.now().plusSeconds(3600), within(Duration.ofSeconds(30)));
        String token = issued.body().at("/status/token").asText();
        assertThat(claims(token).getJSONObjectClaim("kubernetes.io").get("pod").toString()).contains(podUid);

        TestApi.Answer asServiceAccount = as(token, "GET", NS + "/pods");
        assertThat(asServiceAccount.status()).isEqualTo(403);
        assertThat(asServiceAccount.body().path("message").asText())
                .contains("User \"system:serviceaccount:default:builder\" cannot list resource \"pods\"");

        assertThat(api.call("DELETE", NS + "/pods/build-1?gracePeriodSeconds=0", null).status()).isEqualTo(200);

        TestApi.Answer afterDeletion = as(token, "GET", NS + "/pods");
        assertThat(afterDeletion.status()).isEqualTo(401);
        assertThat(afterDeletion.body().path("reason").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void aTokenOfAScheduledPodNamesItsNodeWithTheNodesUidWhenTheNodeExists() throws Exception {
        serviceAccount("agent");
        String nodeUid = api.call("POST", "/api/v1/nodes", "{\"metadata\":{\"name\":\"node-a\"}}").body()
                .at("/metadata/uid").asText();
        for (String[] pod : new String[][]{{"on-a", "node-a"}, {"on-b", "node-b"}}) {
            assertThat(api.call("POST", NS + "/pods", """
                    {"metadata":{"name":"%s"},"spec":{"serviceAccountName":"agent","nodeName":"%s",
                     "containers":[{"name":"c","image":"busybox:1.36"}]}}""".formatted(pod[0], pod[1])).status())
                    .isEqualTo(201);
        }

        String onA = api.call("POST", NS + "/serviceaccounts/agent/token", bound("Pod", "v1", "on-a", "")).body()
                .at("/status/token").asText();
        String onB = api.call("POST", NS + "/serviceaccounts/agent/token", bound("Pod", "v1", "on-b", "")).body()
                .at("/status/token").asText();

        assertThat(claims(onA).getJSONObjectClaim("kubernetes.io").get("node"))
                .isEqualTo(Map.of("name", "node-a", "uid", nodeUid));
        assertThat(claims(onB).getJSONObjectClaim("kubernetes.io").get("node")).isEqualTo(Map.of("name", "node-b"));
        assertThat(as(onB, "GET", NS + "/pods").body().path("message").asText())
                .contains("User \"system:serviceaccount:default:agent\"");
    }

    @Test
    void anUnboundTokenEndsWithItsServiceAccount() {
        serviceAccount("deployer");
        String token = api.call("POST", NS + "/serviceaccounts/deployer/token", "{}").body()
                .at("/status/token").asText();
        assertThat(as(token, "GET", NS + "/configmaps").status()).isEqualTo(403);

        api.call("DELETE", NS + "/serviceaccounts/deployer", null);
        serviceAccount("deployer");

        assertThat(as(token, "GET", NS + "/configmaps").status()).isEqualTo(401);
    }

    @Test
    void customAudiencesAndLifetimesAreHonouredAndOverlongOnesShortenedWithAWarning() {
        serviceAccount("app");

        TestApi.Answer vault = api.call("POST", NS + "/serviceaccounts/app/token",
                "{\"spec\":{\"audiences\":[\"vault\"],\"expirationSeconds\":600}}");
        TestApi.Answer week = api.call("POST", NS + "/serviceaccounts/app/token",
                "{\"spec\":{\"expirationSeconds\":604800}}");

        assertThat(vault.status()).isEqualTo(201);
        assertThat(claims(vault.body().at("/status/token").asText()).getAudience()).containsExactly("vault");
        assertThat(as(vault.body().at("/status/token").asText(), "GET", NS + "/pods").status())
                .as("a token for another audience does not authenticate to the API").isEqualTo(401);
        assertThat(week.status()).isEqualTo(201);
        assertThat(week.body().at("/spec/expirationSeconds").asLong()).isEqualTo(48 * 3600);
        assertThat(week.headers().get("Warning"))
                .isEqualTo("299 - \"requested expiration of 604800 seconds shortened to 172800 seconds\"");
    }

    @Test
    void badTokenRequestsGetKubernetesStatuses() {
        serviceAccount("app");
        serviceAccount("someone-else");
        pod("other-pod", "someone-else");
        String token = NS + "/serviceaccounts/app/token";

        assertStatus(api.call("POST", token, "{\"spec\": {"), 400, "BadRequest", "not valid JSON");
        assertStatus(api.call("POST", token, "[]"), 400, "BadRequest", "must be a JSON object");
        assertStatus(api.call("POST", token, "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\"}"), 400, "BadRequest",
                "does not match the expected kind (TokenRequest)");
        assertStatus(api.call("POST", token, "{\"kind\":\"TokenRequest\",\"apiVersion\":\"v1\"}"), 400, "BadRequest",
                "does not match the expected API version (authentication.k8s.io/v1)");
        assertStatus(api.call("POST", token, "{\"spec\":{\"expirationSeconds\":\"3600\"}}"), 400, "BadRequest",
                "spec.expirationSeconds must be a 64-bit integer");
        assertStatus(api.call("POST", token, "{\"spec\":{\"expirationSeconds\":1e400}}"), 400, "BadRequest",
                "spec.expirationSeconds");
        assertStatus(api.call("POST", token, "{\"spec\":{\"audiences\":\"vault\"}}"), 400, "BadRequest",
                "spec.audiences must be a list of strings");
        assertStatus(api.call("POST", token, "{\"spec\":{\"expirationSeconds\":60}}"), 422, "Invalid",
                "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: "
                        + "\"60\": may not specify a duration less than 10 minutes");
        assertStatus(api.call("POST", token, "{\"spec\":{\"expirationSeconds\":99999999999}}"), 422, "Invalid",
                "may not specify a duration larger than 2^32 seconds");
        assertStatus(api.call("POST", token, "{\"metadata\":{\"name\":\"admin\"}}"), 422, "Invalid",
                "metadata.name: Invalid value: \"admin\": must match the service account name if specified");
        assertStatus(api.call("POST", token, bound("ConfigMap", "v1", "cm", "")), 400, "BadRequest",
                "cannot bind token to object of type /v1, Kind=ConfigMap");
        assertStatus(api.call("POST", token, bound("Pod", "apps/v1", "p", "")), 400, "BadRequest",
                "cannot bind token to object of type apps/v1, Kind=Pod");
        assertStatus(api.call("POST", token, bound("Pod", "v1", "", "")), 422, "Invalid",
                "spec.boundObjectRef.name: Required value");
        assertStatus(api.call("POST", token, bound("Pod", "v1", "missing", "")), 404, "NotFound",
                "pods \"missing\" not found");
        assertStatus(api.call("POST", token, bound("Secret", "v1", "missing", "")), 404, "NotFound",
                "secrets \"missing\" not found");
        assertStatus(api.call("POST", token, bound("Pod", "v1", "other-pod", "")), 400, "BadRequest",
                "cannot bind token for serviceaccount \"app\" to pod running with different serviceaccount name.");
        assertStatus(api.call("POST", NS + "/serviceaccounts/nobody/token", "{}"), 404, "NotFound",
                "serviceaccounts \"nobody\" not found");
        assertStatus(api.call("GET", token, null), 405, "MethodNotAllowed", "only POST");
        assertStatus(api.call("POST", token, "{}", "text/plain", Map.of()), 415, "UnsupportedMediaType", "");
    }

    @Test
    void aBoundObjectUidThatNoLongerMatchesIsAConflict() {
        serviceAccount("app");
        String first = pod("web", "app");
        api.call("DELETE", NS + "/pods/web?gracePeriodSeconds=0", null);
        pod("web", "app");

        assertStatus(api.call("POST", NS + "/serviceaccounts/app/token", bound("Pod", "v1", "web", first)), 409,
                "Conflict", "Operation cannot be fulfilled on Pod \"web\": the UID in the bound object reference ("
                        + first + ") does not match the UID in record");
    }

    @Test
    void aSecretBoundTokenCarriesTheSecret() throws Exception {
        serviceAccount("app");
        String secretUid = api.call("POST", NS + "/secrets", "{\"metadata\":{\"name\":\"app-token\"}}").body()
                .at("/metadata/uid").asText();

        TestApi.Answer issued = api.call("POST", NS + "/serviceaccounts/app/token",
                bound("Secret", "v1", "app-token", secretUid));

        assertThat(issued.status()).isEqualTo(201);
        assertThat(claims(issued.body().at("/status/token").asText()).getJSONObjectClaim("kubernetes.io")
                .get("secret").toString()).contains(secretUid);
    }

    @Test
    void kubectlsProtobufTokenRequestIsUnderstoodAndAnsweredInKind() {
        serviceAccount("app");
        KubernetesProtobuf protobuf = KubernetesProtobuf.load();
        ObjectNode request = TestApi.MAPPER.createObjectNode().put("apiVersion", "authentication.k8s.io/v1")
                .put("kind", "TokenRequest");
        request.putObject("spec").put("expirationSeconds", 1200);

        TestApi.Answer answer = api.callBytes("POST", NS + "/serviceaccounts/app/token",
                protobuf.encode(request), KubernetesProtobuf.MEDIA_TYPE,
                Map.of("Accept", KubernetesProtobuf.MEDIA_TYPE + ", application/json"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        assertThat(answer.headers().get("Content-Type")).isEqualTo(KubernetesProtobuf.MEDIA_TYPE);
        Matcher jwt = Pattern.compile("eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+")
                .matcher(answer.text());
        assertThat(jwt.find()).as("the protobuf answer carries the token").isTrue();
        JWTClaimsSet claims = claims(jwt.group());
        assertThat(claims.getSubject()).isEqualTo("system:serviceaccount:default:app");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(1_200_000);
    }

    @Test
    void aBootstrapTokenTradesForANodeCredential() {
        bootstrapSecret("abcdef", "0123456789abcdef", "true", Instant.now().plus(Duration.ofHours(1)));

        TestApi.Answer issued = as("abcdef.0123456789abcdef", "POST", "/api/v1/nodes/node-1/token",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\"}");

        assertThat(issued.status()).as(issued.text()).isEqualTo(201);
        assertThat(issued.body().at("/spec/expirationSeconds").asLong()).isEqualTo(24 * 3600);
        String credential = issued.body().at("/status/token").asText();
        assertThat(claims(credential).getSubject()).isEqualTo("system:node:node-1");
        // Listing all secrets is what neither a node nor a bootstrapper may ever do, whatever authorizers run.
        TestApi.Answer asNode = as(credential, "GET", "/api/v1/secrets", null);
        assertThat(asNode.status()).isEqualTo(403);
        assertThat(asNode.body().path("message").asText()).contains("User \"system:node:node-1\" cannot list");
        TestApi.Answer asBootstrapper = as("abcdef.0123456789abcdef", "GET", "/api/v1/secrets", null);
        assertThat(asBootstrapper.body().path("message").asText()).contains("User \"system:bootstrap:abcdef\"");
    }

    @Test
    void expiredWrongOrNonAuthenticatingBootstrapTokensAre401() {
        bootstrapSecret("expird", "0123456789abcdef", "true", Instant.now().minusSeconds(1));
        bootstrapSecret("signer", "0123456789abcdef", "false", null);
        bootstrapSecret("wrongs", "0123456789abcdef", "true", null);
        String body = "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\"}";

        assertThat(as("expird.0123456789abcdef", "POST", "/api/v1/nodes/n/token", body).status()).isEqualTo(401);
        assertThat(as("signer.0123456789abcdef", "POST", "/api/v1/nodes/n/token", body).status()).isEqualTo(401);
        assertThat(as("wrongs.0123456789abcdeX", "POST", "/api/v1/nodes/n/token", body).status()).isEqualTo(401);
        assertThat(as("wrongs.aaaaaaaaaaaaaaaa", "POST", "/api/v1/nodes/n/token", body).status()).isEqualTo(401);
        assertThat(as("nosecr.0123456789abcdef", "POST", "/api/v1/nodes/n/token", body).status()).isEqualTo(401);
    }

    @Test
    void badNodeCredentialRequestsAre422() {
        assertStatus(api.call("POST", "/api/v1/nodes/Bad_Name/token", "{}"), 422, "Invalid", "metadata.name");
        assertStatus(api.call("POST", "/api/v1/nodes/n1/token", "{\"spec\":{\"audiences\":[\"vault\"]}}"), 422,
                "Invalid", "spec.audiences: Unsupported value: \"vault\"");
        assertStatus(api.call("POST", "/api/v1/nodes/n1/token", bound("Pod", "v1", "p", "")), 422, "Invalid",
                "spec.boundObjectRef: Forbidden");
        assertStatus(api.call("POST", "/api/v1/nodes/n1/token", "{\"spec\":{\"expirationSeconds\":10}}"), 422,
                "Invalid", "may not specify a duration less than 10 minutes");
    }

    @Test
    void theIssuerPublishesOpenIdDiscoveryAndKeysThatVerifyItsTokens() throws Exception {
        serviceAccount("app");
        String token = api.call("POST", NS + "/serviceaccounts/app/token", "{}").body().at("/status/token").asText();

        TestApi.Answer configuration = api.call("GET", "/.well-known/openid-configuration", null);
        TestApi.Answer jwks = api.call("GET", "/openid/v1/jwks", null);

        assertThat(configuration.status()).isEqualTo(200);
        assertThat(configuration.body().path("issuer").asText()).isEqualTo(ISSUER);
        assertThat(configuration.body().path("jwks_uri").asText()).isEqualTo(ISSUER + "/openid/v1/jwks");
        assertThat(configuration.body().path("id_token_signing_alg_values_supported").toString())
                .isEqualTo("[\"RS256\"]");
        assertThat(jwks.headers().get("Content-Type")).isEqualTo("application/jwk-set+json");
        assertThat(jwks.headers().get("Cache-Control")).isEqualTo("public, max-age=3600");
        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey key = JWKSet.parse(jwks.text()).getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey();
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(as("nonsense", "GET", "/openid/v1/jwks", null).status()).isEqualTo(401);
    }

    @Test
    void discoveryListsTheTokenSubresources() {
        JsonNode core = api.call("GET", "/api/v1", null).body();

        JsonNode token = null;
        for (JsonNode resource : core.path("resources")) {
            if (resource.path("name").asText().equals("serviceaccounts/token")) {
                token = resource;
            }
        }
        assertThat(token).isNotNull();
        assertThat(token.path("group").asText()).isEqualTo("authentication.k8s.io");
        assertThat(token.path("kind").asText()).isEqualTo("TokenRequest");
        assertThat(token.path("verbs").toString()).isEqualTo("[\"create\"]");
    }

    private TestApi.Answer as(String bearer, String method, String path) {
        return as(bearer, method, path, null);
    }

    private TestApi.Answer as(String bearer, String method, String path, String body) {
        return api.callAs(bearer, method, path, body);
    }

    /** Creates a service account; returns its uid. */
    private String serviceAccount(String name) {
        TestApi.Answer answer = api.call("POST", NS + "/serviceaccounts", "{\"metadata\":{\"name\":\"" + name + "\"}}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.body().at("/metadata/uid").asText();
    }

    /** Creates an unscheduled pod running as {@code serviceAccount}; returns its uid. */
    private String pod(String name, String serviceAccount) {
        TestApi.Answer answer = api.call("POST", NS + "/pods", """
                {"metadata":{"name":"%s"},"spec":{"serviceAccountName":"%s",
                 "containers":[{"name":"c","image":"busybox:1.36"}]}}""".formatted(name, serviceAccount));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.body().at("/metadata/uid").asText();
    }

    private void bootstrapSecret(String id, String secret, String usage, Instant expiration) {
        ObjectNode object = TestApi.MAPPER.createObjectNode();
        object.putObject("metadata").put("name", "bootstrap-token-" + id);
        object.put("type", "bootstrap.kubernetes.io/token");
        ObjectNode data = object.putObject("stringData").put("token-id", id).put("token-secret", secret)
                .put("usage-bootstrap-authentication", usage);
        if (expiration != null) {
            data.put("expiration", expiration.toString());
        }
        TestApi.Answer answer = api.call("POST", "/api/v1/namespaces/kube-system/secrets", object.toString());
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
    }

    private static String bound(String kind, String apiVersion, String name, String uid) {
        return """
                {"spec":{"boundObjectRef":{"kind":"%s","apiVersion":"%s","name":"%s","uid":"%s"}}}"""
                .formatted(kind, apiVersion, name, uid);
    }

    private static JWTClaimsSet claims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new AssertionError("not a JWT: " + e.getMessage(), e);
        }
    }

    private static void assertStatus(TestApi.Answer answer, int code, String reason, String message) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(code);
        assertThat(answer.body().path("kind").asText()).isEqualTo("Status");
        assertThat(answer.body().path("reason").asText()).isEqualTo(reason);
        assertThat(answer.body().path("message").asText()).contains(message);
    }
}
