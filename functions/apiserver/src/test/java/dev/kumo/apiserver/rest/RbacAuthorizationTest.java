package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import dev.kumo.apiserver.lambda.SecurityFactory;
import dev.kumo.apiserver.resources.BuiltinResources;
import dev.kumo.apiserver.resources.ResourceDefinition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests of users without privileges of their own, decided by RBAC bindings. */
class RbacAuthorizationTest {
    private static final String PODS = "/api/v1/namespaces/team/pods";
    private static final String CONFIG_MAPS = "/api/v1/namespaces/team/configmaps";
    private static final String ROLE_BINDINGS = "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings";
    private final TestApi api = new TestApi();

    RbacAuthorizationTest() {
        assertThat(api.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}").status())
                .isEqualTo(201);
        assertThat(api.call("POST", CONFIG_MAPS, TestApi.configMap("settings", "1")).status()).isEqualTo(201);
    }

    private void bind(String name, String clusterRole, String user) {
        assertThat(api.call("POST", ROLE_BINDINGS, binding(name, clusterRole, user)).status()).isEqualTo(201);
    }

    private static String binding(String name, String clusterRole, String user) {
        return """
                {"metadata":{"name":"%s"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole",
                 "name":"%s"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"%s"}]}"""
                .formatted(name, clusterRole, user);
    }

    @Test
    void withoutABindingEveryResourceRequestIsForbiddenAsKubernetesWordsIt() {
        TestApi.Answer list = api.callAs(TestApi.JANE_TOKEN, "GET", PODS, null);
        TestApi.Answer get = api.callAs(TestApi.JANE_TOKEN, "GET", CONFIG_MAPS + "/settings", null);
        TestApi.Answer nodes = api.callAs(TestApi.JANE_TOKEN, "GET", "/api/v1/nodes", null);

        assertThat(list.status()).isEqualTo(403);
        assertThat(list.body().path("reason").asText()).isEqualTo("Forbidden");
        assertThat(list.body().path("message").asText()).isEqualTo("pods is forbidden: User \"jane\" cannot list "
                + "resource \"pods\" in API group \"\" in the namespace \"team\"");
        assertThat(get.body().path("message").asText()).isEqualTo("configmaps \"settings\" is forbidden: User "
                + "\"jane\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"team\"");
        assertThat(get.body().at("/details/name").asText()).isEqualTo("settings");
        assertThat(get.body().at("/details/kind").asText()).isEqualTo("configmaps");
        assertThat(nodes.body().path("message").asText()).isEqualTo("nodes is forbidden: User \"jane\" cannot "
                + "list resource \"nodes\" in API group \"\" at the cluster scope");
    }

    /**
     * With the policy cached between requests (the local cluster's single API process), a change through this API
     * server drops the cache: it counts for the very next request.
     */
    @Test
    void aBindingWrittenOrDeletedCountsForTheVeryNextRequestWhenThePolicyIsCached() {
        TestApi cached = new TestApi(Map.of(SecurityFactory.ENV_RBAC_CHECK_MILLIS, "600000"),
                ResourceTransformers.NONE);
        assertThat(cached.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}").status())
                .isEqualTo(201);
        assertThat(cached.callAs(TestApi.JANE_TOKEN, "GET", PODS, null).status()).isEqualTo(403);

        assertThat(cached.call("POST", ROLE_BINDINGS, binding("jane-views", "view", "jane")).status()).isEqualTo(201);
        assertThat(cached.callAs(TestApi.JANE_TOKEN, "GET", PODS, null).status()).isEqualTo(200);

        assertThat(cached.call("DELETE", ROLE_BINDINGS + "/jane-views", null).status()).isEqualTo(200);
        assertThat(cached.callAs(TestApi.JANE_TOKEN, "GET", PODS, null).status()).isEqualTo(403);
    }

    @Test
    void everyAuthenticatedUserMayUseDiscoveryAndAskWhatItMayDo() {
        for (String path : List.of("/api", "/apis", "/api/v1", "/apis/apps/v1", "/version", "/healthz",
                "/openapi/v2")) {
            assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", path, null).status()).as(path).isEqualTo(200);
        }
        TestApi.Answer forbiddenPath = api.callAs(TestApi.JANE_TOKEN, "GET", "/metrics", null);
        assertThat(forbiddenPath.status()).isEqualTo(403);
        assertThat(forbiddenPath.body().path("message").asText())
                .isEqualTo("forbidden: User \"jane\" cannot get path \"/metrics\"");
    }

    @Test
    void aViewBindingAllowsReadsAndRefusesWrites() {
        bind("jane-views", "view", "jane");

        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", PODS, null).status()).isEqualTo(200);
        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", CONFIG_MAPS + "/settings", null).status()).isEqualTo(200);
        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", "/apis/apps/v1/namespaces/team/deployments", null)
                .status()).isEqualTo(200);
        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", "/api/v1/namespaces/team/events?watch=true", null)
                .status()).isEqualTo(200);

        TestApi.Answer create = api.callAs(TestApi.JANE_TOKEN, "POST", CONFIG_MAPS, TestApi.configMap("x", "1"));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.body().path("message").asText()).isEqualTo("configmaps is forbidden: User \"jane\" cannot "
                + "create resource \"configmaps\" in API group \"\" in the namespace \"team\"");
        TestApi.Answer update = api.callAs(TestApi.JANE_TOKEN, "PUT", CONFIG_MAPS + "/settings",
                TestApi.configMap("settings", "2"));
        assertThat(update.status()).isEqualTo(403);
        assertThat(api.callAs(TestApi.JANE_TOKEN, "DELETE", CONFIG_MAPS + "/settings", null).status())
                .isEqualTo(403);
        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", "/api/v1/namespaces/team/secrets", null).status())
                .as("view does not read secrets").isEqualTo(403);
        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", "/api/v1/namespaces/default/pods", null).status())
                .as("only in the binding's namespace").isEqualTo(403);
        assertThat(api.call("GET", CONFIG_MAPS + "/settings", null).body().at("/data/key").asText())
                .isEqualTo("1");
    }

    @Test
    void subresourcesAreAuthorizedApartFromTheirResource() {
        bind("jane-views", "view", "jane");
        assertThat(api.call("POST", "/apis/apps/v1/namespaces/team/deployments", TestApi.deployment("web", 1))
                .status()).isEqualTo(201);

        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", "/apis/apps/v1/namespaces/team/deployments/web/scale",
                null).status()).isEqualTo(200);
        TestApi.Answer scale = api.callAs(TestApi.JANE_TOKEN, "PUT",
                "/apis/apps/v1/namespaces/team/deployments/web/scale",
                "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"web\"},"
                        + "\"spec\":{\"replicas\":3}}");
        assertThat(scale.status()).isEqualTo(403);
        assertThat(scale.body().path("message").asText()).isEqualTo("deployments.apps \"web\" is forbidden: User "
                + "\"jane\" cannot update resource \"deployments/scale\" in API group \"apps\" in the namespace "
                + "\"team\"");
    }

    @Test
    void anEditBindingAllowsWritesThroughTheAggregatedRules() {
        bind("bob-edits", "edit", "bob");

        assertThat(api.callAs(TestApi.BOB_TOKEN, "POST", CONFIG_MAPS, TestApi.configMap("by-bob", "1")).status())
                .isEqualTo(201);
        assertThat(api.callAs(TestApi.BOB_TOKEN, "GET", "/api/v1/namespaces/team/secrets", null).status())
                .isEqualTo(200);
        assertThat(api.callAs(TestApi.BOB_TOKEN, "GET", ROLE_BINDINGS, null).status())
                .as("edit cannot read RBAC objects; admin can").isEqualTo(403);
    }

    @Test
    void aBindingTakesEffectOnTheNextRequestAndItsDeletionToo() {
        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", PODS, null).status()).isEqualTo(403);

        bind("jane-views", "view", "jane");
        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", PODS, null).status()).isEqualTo(200);

        assertThat(api.call("DELETE", ROLE_BINDINGS + "/jane-views", null).status()).isEqualTo(200);
        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", PODS, null).status()).isEqualTo(403);
    }

    @Test
    void aBindingWrittenThroughOneProcessIsEffectiveInAnotherAtOnce() {
        TestApi other = api.otherProcess();
        assertThat(other.callAs(TestApi.JANE_TOKEN, "GET", PODS, null).status()).isEqualTo(403);

        bind("jane-views", "view", "jane");

        assertThat(other.callAs(TestApi.JANE_TOKEN, "GET", PODS, null).status()).isEqualTo(200);
        // A change to the role itself counts too: the rules are read again in every process.
        String narrowed = """
                {"metadata":{"name":"narrow"},
                 "rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]}]}""";
        assertThat(api.call("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles", narrowed).status())
                .isEqualTo(201);
        String binding = """
                {"metadata":{"name":"bob-narrow"},"roleRef":{"kind":"Role","name":"narrow"},
                 "subjects":[{"kind":"Group","name":"developers"}]}""";
        assertThat(api.call("POST", ROLE_BINDINGS, binding).status()).isEqualTo(201);
        assertThat(other.callAs(TestApi.BOB_TOKEN, "GET", CONFIG_MAPS + "/settings", null).status()).isEqualTo(200);
        assertThat(api.call("DELETE", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles/narrow", null)
                .status()).isEqualTo(200);
        TestApi.Answer afterRoleDeleted = other.callAs(TestApi.BOB_TOKEN, "GET", CONFIG_MAPS + "/settings", null);
        assertThat(afterRoleDeleted.status()).isEqualTo(403);
        assertThat(afterRoleDeleted.body().path("message").asText())
                .endsWith(": RBAC: role.rbac.authorization.k8s.io \"narrow\" not found");
    }

    @Test
    void everyServedResourceAndVerbWithoutCredentialsIsUnauthorized() {
        List<String> answered = new ArrayList<>();
        int requests = 0;
        for (ResourceDefinition def : BuiltinResources.create(Clock.systemUTC()).all()) {
            String prefix = def.group().isEmpty() ? "/api/v1" : "/apis/" + def.group() + "/" + def.version();
            String collection = prefix + (def.namespaced() ? "/namespaces/team/" : "/") + def.plural();
            List<String[]> calls = new ArrayList<>(List.of(new String[]{"GET", collection},
                    new String[]{"GET", collection + "?watch=true"}, new String[]{"POST", collection},
                    new String[]{"DELETE", collection}, new String[]{"GET", collection + "/x"},
                    new String[]{"PUT", collection + "/x"}, new String[]{"PATCH", collection + "/x"},
                    new String[]{"DELETE", collection + "/x"}));
            for (String subresource : def.subresources()) {
                calls.add(new String[]{"GET", collection + "/x/" + subresource});
                calls.add(new String[]{"PUT", collection + "/x/" + subresource});
                calls.add(new String[]{"POST", collection + "/x/" + subresource});
            }
            for (String[] call : calls) {
                requests++;
                TestApi.Answer answer = api.call(call[0], call[1], call[0].equals("GET") ? null : "{}",
                        call[0].equals("PATCH") ? "application/merge-patch+json" : "application/json",
                        Map.of("Authorization", ""));
                if (answer.status() != 401 || !answer.body().path("reason").asText().equals("Unauthorized")) {
                    answered.add(call[0] + " " + call[1] + " -> " + answer.status());
                }
            }
        }
        assertThat(requests).isGreaterThan(150);
        assertThat(answered).isEmpty();
    }

    @Test
    void theDefaultBindingsGiveTheControlPlaneComponentsTheirOwnRights() {
        JsonNode bindings = api.call("GET", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", null).body();
        assertThat(bindings.path("items").findValuesAsText("name")).contains("cluster-admin", "system:basic-user",
                "system:discovery", "system:public-info-viewer", "system:node", "system:node-bootstrapper",
                "system:kube-scheduler", "system:kube-controller-manager", "system:kumo:cloud-controller");
    }
}
