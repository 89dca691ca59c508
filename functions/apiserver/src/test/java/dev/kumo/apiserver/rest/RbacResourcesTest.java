package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Roles, ClusterRoles and their bindings as objects: defaults, validation, tables, and the default policy. */
class RbacResourcesTest {
    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";
    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private final TestApi api = new TestApi();

    @Test
    void bindingsGetTheirGroupsDefaultedAndNamesMayHoldColons() {
        TestApi.Answer created = api.call("POST", RBAC + "/clusterrolebindings", """
                {"metadata":{"name":"system:example"},"roleRef":{"kind":"ClusterRole","name":"system:node"},
                 "subjects":[{"kind":"User","name":"u"},{"kind":"Group","name":"g"},
                  {"kind":"ServiceAccount","name":"sa","namespace":"ns"}]}""");

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.body().at("/roleRef/apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(created.body().at("/subjects/0/apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(created.body().at("/subjects/1/apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(created.body().at("/subjects/2").has("apiGroup")).isFalse();
        assertThat(api.call("GET", RBAC + "/clusterrolebindings/system:example", null).status()).isEqualTo(200);
    }

    @Test
    void rulesAndBindingsAreValidatedAsKubernetesDoes() {
        TestApi.Answer role = api.call("POST", RBAC + "/namespaces/default/roles", """
                {"metadata":{"name":"bad"},"rules":[{"apiGroups":[""],"resources":["pods"]},
                 {"verbs":["get"],"nonResourceURLs":["/healthz"]},{"verbs":["get"]}]}""");
        TestApi.Answer binding = api.call("POST", RBAC + "/clusterrolebindings", """
                {"metadata":{"name":"bad"},"roleRef":{"apiGroup":"example.com","kind":"Role","name":""},
                 "subjects":[{"kind":"ServiceAccount","name":"sa"},{"kind":"Robot","name":"r2"},
                  {"kind":"User","apiGroup":"other","name":"u"}]}""");
        TestApi.Answer badName = api.call("POST", RBAC + "/clusterroles", "{\"metadata\":{\"name\":\"a/b\"}}");

        assertThat(role.status()).isEqualTo(422);
        assertThat(role.body().path("message").asText()).isEqualTo("Role.rbac.authorization.k8s.io \"bad\" is "
                + "invalid: rules[0].verbs: Required value: verbs must contain at least one value, "
                + "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to "
                + "non-resource URLs, rules[2].apiGroups: Required value: resource rules must supply at least one api "
                + "group, rules[2].resources: Required value: resource rules must supply at least one resource");
        assertThat(binding.status()).isEqualTo(422);
        assertThat(binding.body().at("/details/causes").findValuesAsText("field")).containsExactly(
                "roleRef.apiGroup", "roleRef.kind", "roleRef.name", "subjects[0].namespace", "subjects[1].kind",
                "subjects[2].apiGroup");
        assertThat(badName.body().path("message").asText()).contains("metadata.name: Invalid value: \"a/b\": "
                + "may not contain '/'");
    }

    @Test
    void aBindingsRoleRefCannotChange() {
        String binding = """
                {"metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole","name":"view"},"subjects":[]}""";
        assertThat(api.call("POST", RBAC + "/namespaces/default/rolebindings", binding).status()).isEqualTo(201);

        TestApi.Answer changed = api.call("PUT", RBAC + "/namespaces/default/rolebindings/b",
                binding.replace("view", "edit"));

        assertThat(changed.status()).isEqualTo(422);
        assertThat(changed.body().path("message").asText()).isEqualTo("RoleBinding.rbac.authorization.k8s.io \"b\" "
                + "is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", "
                + "Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef");
    }

    @Test
    void anAggregationRuleNeedsSelectors() {
        TestApi.Answer answer = api.call("POST", RBAC + "/clusterroles", """
                {"metadata":{"name":"agg"},"aggregationRule":{"clusterRoleSelectors":[]}}""");
        TestApi.Answer badOperator = api.call("POST", RBAC + "/clusterroles", """
                {"metadata":{"name":"agg"},"aggregationRule":{"clusterRoleSelectors":[
                 {"matchExpressions":[{"key":"a","operator":"Near","values":["b"]}]}]}}""");

        assertThat(answer.body().path("message").asText()).contains("aggregationRule.clusterRoleSelectors: "
                + "Required value: at least one clusterRoleSelector required if aggregationRule is non-nil");
        assertThat(badOperator.body().path("message").asText()).contains("aggregationRule.clusterRoleSelectors[0]"
                + ".matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator");
    }

    @Test
    void kubectlGetShowsKubernetesColumns() {
        api.call("POST", RBAC + "/namespaces/default/rolebindings", """
                {"metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole","name":"view"},
                 "subjects":[{"kind":"User","name":"u1"},{"kind":"User","name":"u2"},{"kind":"Group","name":"g"},
                  {"kind":"ServiceAccount","name":"sa","namespace":"ns"}]}""");

        JsonNode bindings = api.call("GET", RBAC + "/namespaces/default/rolebindings", null, null,
                Map.of("Accept", TABLE)).body();
        JsonNode roles = api.call("GET", RBAC + "/clusterroles", null, null, Map.of("Accept", TABLE)).body();

        assertThat(bindings.path("columnDefinitions").findValuesAsText("name"))
                .containsExactly("Name", "Role", "Age", "Users", "Groups", "ServiceAccounts");
        assertThat(bindings.at("/rows/0/cells").toString()).startsWith("[\"b\",\"ClusterRole/view\",")
                .endsWith(",\"u1, u2\",\"g\",\"ns/sa\"]");
        assertThat(roles.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Created At");
        assertThat(roles.at("/rows/0/cells/1").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void theDefaultPolicyIsThereWithKubernetesLabelsAndAnnotations() {
        JsonNode admin = api.call("GET", RBAC + "/clusterroles/cluster-admin", null).body();
        JsonNode view = api.call("GET", RBAC + "/clusterroles/view", null).body();
        JsonNode masters = api.call("GET", RBAC + "/clusterrolebindings/cluster-admin", null).body();
        JsonNode bootstrapper = api.call("GET", RBAC + "/clusterroles/system:node-bootstrapper", null).body();

        assertThat(admin.at("/metadata/annotations/rbac.authorization.kubernetes.io~1autoupdate").asText())
                .isEqualTo("true");
        assertThat(admin.at("/metadata/labels/kubernetes.io~1bootstrapping").asText()).isEqualTo("rbac-defaults");
        assertThat(admin.path("rules").toString()).isEqualTo("[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],"
                + "\"resources\":[\"*\"]},{\"verbs\":[\"*\"],\"nonResourceURLs\":[\"*\"]}]");
        assertThat(view.at("/aggregationRule/clusterRoleSelectors/0/matchLabels").toString())
                .isEqualTo("{\"rbac.authorization.k8s.io/aggregate-to-view\":\"true\"}");
        assertThat(view.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-edit").asText())
                .isEqualTo("true");
        assertThat(masters.at("/subjects/0/name").asText()).isEqualTo("system:masters");
        assertThat(bootstrapper.path("rules").toString())
                .isEqualTo("[{\"verbs\":[\"create\"],\"apiGroups\":[\"\"],\"resources\":[\"nodes/token\"]}]");
    }

    @Test
    void anAggregatedClusterRoleIsServedWithTheRulesItGathersAtOnce() {
        JsonNode view = api.call("GET", RBAC + "/clusterroles/view", null).body();
        assertThat(view.path("rules").toString()).contains("\"configmaps\"", "\"deployments\"")
                .doesNotContain("\"widgets\"");
        assertThat(api.call("GET", RBAC + "/clusterroles/admin", null).body().path("rules").toString())
                .as("admin gathers edit, which gathers view").contains("\"rolebindings\"", "\"configmaps\"",
                        "\"impersonate\"");

        assertThat(api.call("POST", RBAC + "/clusterroles", """
                {"metadata":{"name":"widget-viewer","labels":{"rbac.authorization.k8s.io/aggregate-to-view":"true"}},
                 "rules":[{"apiGroups":["example.com"],"resources":["widgets"],"verbs":["get"]}]}""").status())
                .isEqualTo(201);

        JsonNode list = api.call("GET", RBAC + "/clusterroles", null).body();
        for (JsonNode role : list.path("items")) {
            if (java.util.List.of("view", "edit", "admin").contains(role.at("/metadata/name").asText())) {
                assertThat(role.path("rules").toString()).as(role.at("/metadata/name").asText())
                        .contains("\"widgets\"");
            }
        }
        String binding = """
                {"metadata":{"name":"jane-views"},"roleRef":{"kind":"ClusterRole","name":"view"},
                 "subjects":[{"kind":"User","name":"jane"}]}""";
        assertThat(api.call("POST", RBAC + "/clusterrolebindings", binding).status()).isEqualTo(201);
        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", "/apis/example.com/v1/widgets/w1", null).status())
                .as("allowed, and then not found as kumo serves no widgets").isEqualTo(404);
    }

    @Test
    void reconcilingAgainWritesNothingRestoresWhatIsMissingAndLeavesProtectedObjectsAlone() {
        String viewVersion = api.call("GET", RBAC + "/clusterroles/system:aggregate-to-view", null).body()
                .at("/metadata/resourceVersion").asText();
        ObjectNode discovery = (ObjectNode) api.call("GET", RBAC + "/clusterroles/system:discovery", null).body();
        discovery.putArray("rules").addObject().put("apiGroups", "").withArray("verbs").add("get");
        ((ObjectNode) discovery.at("/rules/0")).putArray("apiGroups").add("");
        ((ObjectNode) discovery.at("/rules/0")).putArray("resources").add("namespaces");
        assertThat(api.call("PUT", RBAC + "/clusterroles/system:discovery", discovery.toString()).status())
                .isEqualTo(200);
        ObjectNode basicUser = (ObjectNode) api.call("GET", RBAC + "/clusterroles/system:basic-user", null).body();
        ((ObjectNode) basicUser.at("/metadata/annotations")).put("rbac.authorization.kubernetes.io/autoupdate",
                "false");
        basicUser.putArray("rules");
        assertThat(api.call("PUT", RBAC + "/clusterroles/system:basic-user", basicUser.toString()).status())
                .isEqualTo(200);
        assertThat(api.call("DELETE", RBAC + "/clusterrolebindings/system:discovery", null).status())
                .isEqualTo(200);

        api.server.bootstrap();

        assertThat(api.call("GET", RBAC + "/clusterroles/system:aggregate-to-view", null).body()
                .at("/metadata/resourceVersion").asText()).isEqualTo(viewVersion);
        JsonNode restored = api.call("GET", RBAC + "/clusterroles/system:discovery", null).body();
        assertThat(restored.path("rules").get(0).path("resources").get(0).asText())
                .as("rules added by hand are kept").isEqualTo("namespaces");
        assertThat(restored.path("rules").toString()).contains("\"/healthz\"", "\"/apis/*\"");
        assertThat(api.call("GET", RBAC + "/clusterroles/system:basic-user", null).body().path("rules"))
                .as("autoupdate=false protects an object").isEmpty();
        assertThat(api.call("GET", RBAC + "/clusterrolebindings/system:discovery", null).status()).isEqualTo(200);
    }

    @Test
    void rbacObjectsTravelAsProtobufAsKubectlSendsThem() {
        TestApi.Answer answer = api.call("POST", RBAC + "/namespaces/default/roles", """
                {"metadata":{"name":"r"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"],
                 "resourceNames":["a"]}]}""", "application/json",
                Map.of("Accept", "application/vnd.kubernetes.protobuf"));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.headers().get("Content-Type")).isEqualTo("application/vnd.kubernetes.protobuf");
        assertThat(answer.text()).contains("Role", "pods");
    }
}
