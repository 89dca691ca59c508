package dev.kumo.apiserver.rest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A user may hand out only the rights the user holds, unless allowed to escalate or bind. */
class RbacEscalationTest {
    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";
    private static final String ROLES = RBAC + "/namespaces/team/roles";
    private static final String ROLE_BINDINGS = RBAC + "/namespaces/team/rolebindings";
    private final TestApi api = new TestApi();

    /** Jane may manage roles and bindings in "team" and read pods there, nothing else. */
    RbacEscalationTest() {
        assertThat(api.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}").status())
                .isEqualTo(201);
        created(api.call("POST", ROLES, role("rbac-manager", """
                {"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles","rolebindings"],
                 "verbs":["create","update","get","list"]},
                {"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}""")));
        created(api.call("POST", ROLE_BINDINGS, binding("jane-manages", "Role", "rbac-manager", "jane")));
    }

    private static void created(TestApi.Answer answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
    }

    private static String role(String name, String rules) {
        return "{\"metadata\":{\"name\":\"" + name + "\"},\"rules\":[" + rules + "]}";
    }

    private static String binding(String name, String kind, String role, String user) {
        return """
                {"metadata":{"name":"%s"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"%s",
                 "name":"%s"},"subjects":[{"kind":"User","name":"%s"}]}""".formatted(name, kind, role, user);
    }

    @Test
    void aRoleWithinTheUsersRightsMayBeCreatedOneBeyondThemMayNot() {
        created(api.callAs(TestApi.JANE_TOKEN, "POST", ROLES, role("pod-reader",
                "{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\"]}")));

        TestApi.Answer escalation = api.callAs(TestApi.JANE_TOKEN, "POST", ROLES, role("pod-deleter",
                "{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\",\"delete\",\"deletecollection\"]}"
                        + ",{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\"]}"));

        assertThat(escalation.status()).isEqualTo(403);
        assertThat(escalation.body().path("reason").asText()).isEqualTo("Forbidden");
        assertThat(escalation.body().path("message").asText()).isEqualTo("roles.rbac.authorization.k8s.io "
                + "\"pod-deleter\" is forbidden: user \"jane\" (groups=[\"system:authenticated\"]) is attempting to "
                + "grant RBAC permissions not currently held:\n"
                + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\" \"deletecollection\"]}\n"
                + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}");
        assertThat(api.call("GET", ROLES + "/pod-deleter", null).status()).isEqualTo(404);
    }

    @Test
    void updatingARoleBeyondTheUsersRightsIsRefusedToo() {
        created(api.callAs(TestApi.JANE_TOKEN, "POST", ROLES, role("reader",
                "{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\"]}")));

        TestApi.Answer widened = api.callAs(TestApi.JANE_TOKEN, "PUT", ROLES + "/reader", role("reader",
                "{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]}"));

        assertThat(widened.status()).isEqualTo(403);
        assertThat(widened.body().path("message").asText()).contains("is attempting to grant RBAC permissions not "
                + "currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}");
    }

    @Test
    void aBindingToARoleBeyondTheUsersRightsIsRefused() {
        TestApi.Answer toEdit = api.callAs(TestApi.JANE_TOKEN, "POST", ROLE_BINDINGS,
                binding("jane-edits", "ClusterRole", "edit", "jane"));
        TestApi.Answer toAdminForBob = api.callAs(TestApi.JANE_TOKEN, "POST", ROLE_BINDINGS,
                binding("bob-admin", "ClusterRole", "admin", "bob"));

        assertThat(toEdit.status()).isEqualTo(403);
        assertThat(toEdit.body().path("message").asText()).startsWith("rolebindings.rbac.authorization.k8s.io "
                + "\"jane-edits\" is forbidden: user \"jane\" (groups=[\"system:authenticated\"]) is attempting to "
                + "grant RBAC permissions not currently held:\n");
        assertThat(toEdit.body().path("message").asText())
                .contains("{APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[");
        assertThat(toAdminForBob.status()).isEqualTo(403);
        assertThat(api.callAs(TestApi.BOB_TOKEN, "GET", "/api/v1/namespaces/team/secrets", null).status())
                .isEqualTo(403);
    }

    @Test
    void aBindingToARoleWithinTheUsersRightsIsAllowed() {
        created(api.call("POST", ROLES, role("pod-lister",
                "{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"list\"]}")));

        created(api.callAs(TestApi.JANE_TOKEN, "POST", ROLE_BINDINGS, binding("bob-lists", "Role", "pod-lister",
                "bob")));

        assertThat(api.callAs(TestApi.BOB_TOKEN, "GET", "/api/v1/namespaces/team/pods", null).status())
                .isEqualTo(200);
    }

    @Test
    void aNamespaceAdminMayGrantAdminInTheNamespaceButNotClusterWide() {
        created(api.call("POST", ROLE_BINDINGS, binding("bob-admin", "ClusterRole", "admin", "bob")));

        created(api.callAs(TestApi.BOB_TOKEN, "POST", ROLE_BINDINGS, binding("jane-admin", "ClusterRole", "admin",
                "jane")));
        TestApi.Answer clusterWide = api.callAs(TestApi.BOB_TOKEN, "POST", RBAC + "/clusterrolebindings", """
                {"metadata":{"name":"jane-admin"},"roleRef":{"kind":"ClusterRole","name":"admin"},
                 "subjects":[{"kind":"User","name":"jane"}]}""");

        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", "/api/v1/namespaces/team/secrets", null).status())
                .isEqualTo(200);
        assertThat(clusterWide.status()).isEqualTo(403);
        assertThat(clusterWide.body().path("message").asText()).startsWith("clusterrolebindings.rbac.authorization"
                + ".k8s.io is forbidden: User \"bob\" cannot create resource \"clusterrolebindings\"");
    }

    @Test
    void theBindVerbAllowsBindingARoleTheUserDoesNotHold() {
        created(api.call("POST", ROLES, role("may-bind-edit", """
                {"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles"],"verbs":["bind"],
                 "resourceNames":["edit"]}""")));
        created(api.call("POST", ROLE_BINDINGS, binding("jane-binds", "Role", "may-bind-edit", "jane")));

        created(api.callAs(TestApi.JANE_TOKEN, "POST", ROLE_BINDINGS, binding("bob-edits", "ClusterRole", "edit",
                "bob")));
        assertThat(api.callAs(TestApi.JANE_TOKEN, "POST", ROLE_BINDINGS, binding("bob-admins", "ClusterRole",
                "admin", "bob")).status()).as("bind is limited to the named role").isEqualTo(403);
        assertThat(api.callAs(TestApi.BOB_TOKEN, "GET", "/api/v1/namespaces/team/secrets", null).status())
                .isEqualTo(200);
    }

    @Test
    void theEscalateVerbAllowsWritingRolesBeyondTheUsersRights() {
        created(api.call("POST", ROLES, role("may-escalate",
                "{\"apiGroups\":[\"rbac.authorization.k8s.io\"],\"resources\":[\"roles\"],\"verbs\":[\"escalate\"]}")));
        created(api.call("POST", ROLE_BINDINGS, binding("jane-escalates", "Role", "may-escalate", "jane")));

        created(api.callAs(TestApi.JANE_TOKEN, "POST", ROLES, role("everything",
                "{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]}")));
    }

    @Test
    void anAggregationRuleNeedsEveryRight() {
        created(api.call("POST", RBAC + "/clusterroles", role("cluster-role-writer",
                "{\"apiGroups\":[\"rbac.authorization.k8s.io\"],\"resources\":[\"clusterroles\"],"
                        + "\"verbs\":[\"create\"]}")));
        String binding = """
                {"metadata":{"name":"jane-writes-cluster-roles"},"roleRef":{"kind":"ClusterRole",
                 "name":"cluster-role-writer"},"subjects":[{"kind":"User","name":"jane"}]}""";
        created(api.call("POST", RBAC + "/clusterrolebindings", binding));

        TestApi.Answer aggregated = api.callAs(TestApi.JANE_TOKEN, "POST", RBAC + "/clusterroles", """
                {"metadata":{"name":"gather-all"},"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{}}]}}""");

        assertThat(aggregated.status()).isEqualTo(403);
        assertThat(aggregated.body().path("message").asText()).isEqualTo("clusterroles.rbac.authorization.k8s.io "
                + "\"gather-all\" is forbidden: must have cluster-admin privileges to use the aggregationRule");
    }

    @Test
    void aBindingToAMissingRoleIsNotFoundForAUserWhoMustHoldItsRules() {
        TestApi.Answer missing = api.callAs(TestApi.JANE_TOKEN, "POST", ROLE_BINDINGS,
                binding("dangling", "ClusterRole", "no-such-role", "bob"));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().path("message").asText())
                .isEqualTo("clusterroles.rbac.authorization.k8s.io \"no-such-role\" not found");
        created(api.call("POST", ROLE_BINDINGS, binding("dangling", "ClusterRole", "no-such-role", "bob")));
    }

    @Test
    void onlyChangingOwnerReferencesAndFinalizersNeedsNoRights() {
        created(api.call("POST", ROLE_BINDINGS, binding("bob-edits", "ClusterRole", "edit", "bob")));
        String patch = "{\"metadata\":{\"finalizers\":[\"example.com/keep\"]}}";

        TestApi.Answer patched = api.call("PATCH", ROLE_BINDINGS + "/bob-edits", patch,
                "application/merge-patch+json", java.util.Map.of("Authorization", "Bearer " + TestApi.JANE_TOKEN));

        assertThat(patched.status()).as("jane may not even patch bindings").isEqualTo(403);
        created(api.call("POST", ROLES, role("binding-patcher", """
                {"apiGroups":["rbac.authorization.k8s.io"],"resources":["rolebindings"],"verbs":["patch"]}""")));
        created(api.call("POST", ROLE_BINDINGS, binding("jane-patches", "Role", "binding-patcher", "jane")));
        assertThat(api.call("PATCH", ROLE_BINDINGS + "/bob-edits", patch, "application/merge-patch+json",
                java.util.Map.of("Authorization", "Bearer " + TestApi.JANE_TOKEN)).status()).isEqualTo(200);
        assertThat(api.call("PATCH", ROLE_BINDINGS + "/bob-edits", "{\"subjects\":[{\"kind\":\"User\","
                        + "\"name\":\"jane\"}]}", "application/merge-patch+json",
                java.util.Map.of("Authorization", "Bearer " + TestApi.JANE_TOKEN)).status())
                .as("changing the subjects is a grant").isEqualTo(403);
    }
}
