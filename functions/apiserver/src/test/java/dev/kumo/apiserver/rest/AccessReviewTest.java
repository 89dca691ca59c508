package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The access reviews kubectl auth can-i and whoami use, and impersonation (kubectl --as). */
class AccessReviewTest {
    private static final String AUTHORIZATION = "/apis/authorization.k8s.io/v1";
    private static final String SSAR = AUTHORIZATION + "/selfsubjectaccessreviews";
    private final TestApi api = new TestApi();

    AccessReviewTest() {
        assertThat(api.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}").status())
                .isEqualTo(201);
        String binding = """
                {"metadata":{"name":"jane-views"},"roleRef":{"kind":"ClusterRole","name":"view"},
                 "subjects":[{"kind":"User","name":"jane"}]}""";
        assertThat(api.call("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", binding)
                .status()).isEqualTo(201);
    }

    private static String selfReview(String verb, String resource, String namespace) {
        return """
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
                 "spec":{"resourceAttributes":{"verb":"%s","resource":"%s","namespace":"%s"}}}"""
                .formatted(verb, resource, namespace);
    }

    @Test
    void aSelfSubjectAccessReviewAnswersForTheCaller() {
        TestApi.Answer allowed = api.callAs(TestApi.JANE_TOKEN, "POST", SSAR, selfReview("list", "pods", "team"));
        TestApi.Answer denied = api.callAs(TestApi.JANE_TOKEN, "POST", SSAR, selfReview("create", "pods", "team"));

        assertThat(allowed.status()).isEqualTo(201);
        assertThat(allowed.body().path("kind").asText()).isEqualTo("SelfSubjectAccessReview");
        assertThat(allowed.body().at("/spec/resourceAttributes/verb").asText()).isEqualTo("list");
        assertThat(allowed.body().at("/status/allowed").asBoolean()).isTrue();
        assertThat(allowed.body().at("/status/reason").asText()).isEqualTo("RBAC: allowed by RoleBinding "
                + "\"jane-views/team\" of ClusterRole \"view\" to User \"jane\"");
        assertThat(denied.body().at("/status/allowed").asBoolean()).isFalse();
        assertThat(denied.body().at("/status").has("denied")).isFalse();
        assertThat(api.call("POST", SSAR, selfReview("delete", "nodes", "")).body().at("/status/allowed")
                .asBoolean()).as("the admin may do anything").isTrue();
    }

    @Test
    void aNonResourceReviewAndBadReviewsAreAnsweredAsKubernetesDoes() {
        TestApi.Answer url = api.callAs(TestApi.JANE_TOKEN, "POST", SSAR, """
                {"spec":{"nonResourceAttributes":{"path":"/apis/apps","verb":"get"}}}""");
        TestApi.Answer empty = api.callAs(TestApi.JANE_TOKEN, "POST", SSAR, "{\"spec\":{}}");

        assertThat(url.body().at("/status/allowed").asBoolean()).isTrue();
        assertThat(url.body().at("/status/reason").asText()).isEqualTo("RBAC: allowed by ClusterRoleBinding "
                + "\"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\"");
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.body().path("message").asText()).isEqualTo("SelfSubjectAccessReview.authorization.k8s.io "
                + "\"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of "
                + "nonResourceAttributes or resourceAttributes must be specified");
    }

    @Test
    void reviewsAreCreateOnlyAndNeverStored() {
        TestApi.Answer get = api.call("GET", SSAR, null);
        TestApi.Answer discovery = api.call("GET", AUTHORIZATION, null);

        assertThat(get.status()).isEqualTo(405);
        assertThat(get.body().path("message").asText())
                .isEqualTo("the server does not allow this method on the requested resource");
        for (JsonNode resource : discovery.body().path("resources")) {
            assertThat(resource.path("verbs").findValuesAsText("verbs")).isEmpty();
            assertThat(resource.path("verbs")).hasSize(1);
            assertThat(resource.path("verbs").get(0).asText()).isEqualTo("create");
        }
        assertThat(discovery.body().path("resources").findValuesAsText("name")).containsExactlyInAnyOrder(
                "localsubjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews",
                "subjectaccessreviews");
    }

    @Test
    void aSubjectAccessReviewAsksAboutAnotherUserAndIsForAdmins() {
        String review = """
                {"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1",
                 "spec":{"user":"jane","groups":["system:authenticated"],
                  "resourceAttributes":{"verb":"get","resource":"configmaps","namespace":"team","name":"x"}}}""";

        TestApi.Answer asAdmin = api.call("POST", AUTHORIZATION + "/subjectaccessreviews", review);
        TestApi.Answer asJane = api.callAs(TestApi.JANE_TOKEN, "POST", AUTHORIZATION + "/subjectaccessreviews",
                review);

        assertThat(asAdmin.status()).isEqualTo(201);
        assertThat(asAdmin.body().at("/status/allowed").asBoolean()).isTrue();
        assertThat(asJane.status()).isEqualTo(403);
        assertThat(api.call("POST", AUTHORIZATION + "/subjectaccessreviews", """
                {"spec":{"resourceAttributes":{"verb":"get","resource":"pods"}}}""").body().path("message").asText())
                .contains("spec.user: Invalid value: \"\": at least one of user or group must be specified");
    }

    @Test
    void aLocalSubjectAccessReviewIsBoundToItsNamespace() {
        String path = AUTHORIZATION + "/namespaces/team/localsubjectaccessreviews";
        TestApi.Answer answer = api.call("POST", path, """
                {"spec":{"user":"jane","resourceAttributes":{"verb":"list","resource":"pods","namespace":"team"}}}""");
        TestApi.Answer elsewhere = api.call("POST", path, """
                {"spec":{"user":"jane","resourceAttributes":{"verb":"list","resource":"pods","namespace":"other"}}}""");

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().at("/metadata/namespace").asText()).isEqualTo("team");
        assertThat(answer.body().at("/status/allowed").asBoolean()).isTrue();
        assertThat(elsewhere.status()).isEqualTo(422);
        assertThat(elsewhere.body().path("message").asText())
                .contains("spec.resourceAttributes.namespace: Invalid value: \"other\": must match metadata.namespace");
    }

    @Test
    void aSelfSubjectRulesReviewListsWhatTheCallerMayDoInANamespace() {
        TestApi.Answer rules = api.callAs(TestApi.JANE_TOKEN, "POST", AUTHORIZATION + "/selfsubjectrulesreviews",
                "{\"spec\":{\"namespace\":\"team\"}}");
        TestApi.Answer noNamespace = api.callAs(TestApi.JANE_TOKEN, "POST",
                AUTHORIZATION + "/selfsubjectrulesreviews", "{\"spec\":{}}");

        assertThat(rules.status()).isEqualTo(201);
        JsonNode status = rules.body().path("status");
        assertThat(status.path("incomplete").asBoolean()).isFalse();
        assertThat(status.path("resourceRules").toString()).contains("\"selfsubjectaccessreviews\"",
                "\"configmaps\"", "\"deployments\"");
        assertThat(status.path("resourceRules").toString()).doesNotContain("\"secrets\"");
        assertThat(status.path("nonResourceRules").toString()).contains("\"/healthz\"", "\"/apis/*\"");
        assertThat(noNamespace.status()).isEqualTo(400);
        assertThat(noNamespace.body().path("message").asText()).isEqualTo("no namespace on request");
    }

    @Test
    void aSelfSubjectReviewSaysWhoTheCallerIs() {
        TestApi.Answer whoami = api.callAs(TestApi.BOB_TOKEN, "POST",
                "/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}");

        assertThat(whoami.status()).isEqualTo(201);
        assertThat(whoami.body().at("/status/userInfo/username").asText()).isEqualTo("bob");
        assertThat(whoami.body().at("/status/userInfo/uid").asText()).isEqualTo("bob-uid");
        assertThat(whoami.body().at("/status/userInfo/groups").toString())
                .isEqualTo("[\"developers\",\"system:authenticated\"]");
    }

    @Test
    void anAdminMayActAsAnotherUserAndIsThenDecidedAsThatUser() {
        Map<String, String> asJane = Map.of("Impersonate-User", "jane");

        assertThat(api.call("GET", "/api/v1/namespaces/team/pods", null, null, asJane).status()).isEqualTo(200);
        TestApi.Answer write = api.call("POST", "/api/v1/namespaces/team/configmaps", TestApi.configMap("x", "1"),
                "application/json", asJane);
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.body().path("message").asText()).contains("User \"jane\" cannot create resource");
        TestApi.Answer whoami = api.call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}",
                "application/json", Map.of("Impersonate-User", "system:serviceaccount:team:builder"));
        assertThat(whoami.body().at("/status/userInfo/groups").toString()).isEqualTo("[\"system:serviceaccounts\","
                + "\"system:serviceaccounts:team\",\"system:authenticated\"]");
        TestApi.Answer withGroup = api.call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}",
                "application/json", Map.of("Impersonate-User", "jane", "Impersonate-Group", "a,b"));
        assertThat(withGroup.body().at("/status/userInfo/groups").toString())
                .isEqualTo("[\"a\",\"b\",\"system:authenticated\"]");
    }

    @Test
    void impersonatingGroupsWithoutAUserIsABadRequest() {
        TestApi.Answer answer = api.call("GET", "/api/v1/namespaces/team/pods", null, null,
                Map.of("Impersonate-Group", "system:masters"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("message").asText()).isEqualTo("requested impersonation of groups, uid or "
                + "extra without impersonating a user (Impersonate-User)");
    }

    @Test
    void aLocalReviewOutsideANamespaceIsNotFound() {
        assertThat(api.call("POST", AUTHORIZATION + "/localsubjectaccessreviews", """
                {"spec":{"user":"jane","resourceAttributes":{"verb":"list","resource":"pods"}}}""").status())
                .isEqualTo(404);
    }

    @Test
    void impersonationNeedsTheImpersonateVerb() {
        TestApi.Answer refused = api.call("GET", "/api/v1/namespaces/team/pods", null, null,
                Map.of("Authorization", "Bearer " + TestApi.JANE_TOKEN, "Impersonate-User", "bob"));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("message").asText()).isEqualTo("users \"bob\" is forbidden: User \"jane\" "
                + "cannot impersonate resource \"users\" in API group \"\" at the cluster scope");

        String rule = """
                {"metadata":{"name":"impersonate-bob"},"rules":[{"apiGroups":[""],"resources":["users"],
                 "verbs":["impersonate"],"resourceNames":["bob"]}]}""";
        assertThat(api.call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", rule).status()).isEqualTo(201);
        String binding = """
                {"metadata":{"name":"jane-as-bob"},"roleRef":{"kind":"ClusterRole","name":"impersonate-bob"},
                 "subjects":[{"kind":"User","name":"jane"}]}""";
        assertThat(api.call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", binding).status())
                .isEqualTo(201);
        TestApi.Answer asBob = api.call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}",
                "application/json", Map.of("Authorization", "Bearer " + TestApi.JANE_TOKEN, "Impersonate-User", "bob"));
        assertThat(asBob.body().at("/status/userInfo/username").asText()).isEqualTo("bob");
        TestApi.Answer withGroups = api.call("GET", "/api/v1/namespaces/team/pods", null, null,
                Map.of("Authorization", "Bearer " + TestApi.JANE_TOKEN, "Impersonate-User", "bob",
                        "Impersonate-Group", "system:masters"));
        assertThat(withGroups.status()).isEqualTo(403);
        assertThat(withGroups.body().path("message").asText()).startsWith("groups \"system:masters\" is forbidden");
    }
}
