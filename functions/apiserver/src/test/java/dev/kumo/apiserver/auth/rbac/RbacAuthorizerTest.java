package dev.kumo.apiserver.auth.rbac;

import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.Decision;
import dev.kumo.apiserver.auth.authz.RequestInfo;
import dev.kumo.apiserver.auth.authz.SubjectRules;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which bindings grant what to whom, and how the authorizer words it. */
class RbacAuthorizerTest {
    private static final UserInfo JANE = UserInfo.of("jane", "system:authenticated");
    private static final PolicyRule READ_PODS = PolicyRule.resources(List.of("get", "list"), List.of(""),
            List.of("pods"));
    private static final PolicyRule WRITE_SECRETS = PolicyRule.resources(List.of("create"), List.of(""),
            List.of("secrets"));

    private static Role clusterRole(String name, Map<String, String> labels, PolicyRule... rules) {
        return new Role("", name, labels, List.of(rules), List.of());
    }

    private static Role aggregated(String name, Map<String, String> labels, String selectedLabel) {
        return new Role("", name, labels, List.of(), List.of(new LabelSelector(List.of(
                new LabelSelector.Requirement(selectedLabel, LabelSelector.Operator.EQUALS, Set.of("true"))))));
    }

    private static Binding binding(String namespace, String name, String kind, String role, Subject... subjects) {
        return new Binding(namespace, name, new RoleRef(RbacResources.GROUP, kind, role), List.of(subjects));
    }

    private static Subject user(String name) {
        return new Subject(Subject.USER, RbacResources.GROUP, name, "");
    }

    private static RbacAuthorizer authorizer(List<Role> clusterRoles, List<Role> roles, List<Binding> clusterBindings,
                                             List<Binding> bindings) {
        return new RbacAuthorizer(PolicySource.of(new RbacPolicy(clusterRoles, roles, clusterBindings, bindings)));
    }

    @Test
    void aClusterRoleBindingGrantsEverywhereWithAReasonNamingIt() {
        RbacAuthorizer rbac = authorizer(List.of(clusterRole("pod-reader", Map.of(), READ_PODS)), List.of(),
                List.of(binding("", "readers", "ClusterRole", "pod-reader", user("jane"))), List.of());

        Decision inNamespace = rbac.authorize(JANE, RequestInfo.resource("get", "", "team-a", "pods", "", "p"));
        Decision clusterWide = rbac.authorize(JANE, RequestInfo.resource("list", "", "", "pods", "", ""));

        assertThat(inNamespace.allowed()).isTrue();
        assertThat(inNamespace.reason())
                .isEqualTo("RBAC: allowed by ClusterRoleBinding \"readers\" of ClusterRole \"pod-reader\" to User "
                        + "\"jane\"");
        assertThat(clusterWide.allowed()).isTrue();
        assertThat(rbac.authorize(JANE, RequestInfo.resource("delete", "", "team-a", "pods", "", "p")).kind())
                .isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(rbac.authorize(UserInfo.of("john"), RequestInfo.resource("get", "", "team-a", "pods", "", "p"))
                .allowed()).isFalse();
    }

    @Test
    void aRoleBindingGrantsOnlyInItsNamespaceEvenForAClusterRole() {
        RbacAuthorizer rbac = authorizer(List.of(clusterRole("pod-reader", Map.of(), READ_PODS)),
                List.of(new Role("team-a", "secret-writer", Map.of(), List.of(WRITE_SECRETS), List.of())),
                List.of(), List.of(
                        binding("team-a", "read", "ClusterRole", "pod-reader", user("jane")),
                        binding("team-a", "write", "Role", "secret-writer", user("jane"))));

        Decision read = rbac.authorize(JANE, RequestInfo.resource("get", "", "team-a", "pods", "", "p"));
        assertThat(read.allowed()).isTrue();
        assertThat(read.reason())
                .isEqualTo("RBAC: allowed by RoleBinding \"read/team-a\" of ClusterRole \"pod-reader\" to User "
                        + "\"jane\"");
        assertThat(rbac.authorize(JANE, RequestInfo.resource("create", "", "team-a", "secrets", "", "")).reason())
                .isEqualTo("RBAC: allowed by RoleBinding \"write/team-a\" of Role \"secret-writer\" to User \"jane\"");
        assertThat(rbac.authorize(JANE, RequestInfo.resource("get", "", "team-b", "pods", "", "p")).allowed())
                .isFalse();
        assertThat(rbac.authorize(JANE, RequestInfo.resource("list", "", "", "pods", "", "")).allowed())
                .as("a namespace's binding grants nothing cluster-wide").isFalse();
    }

    @Test
    void groupsAndServiceAccountsAreSubjectsTooWithTheBindingsNamespaceAsDefault() {
        RbacAuthorizer rbac = authorizer(List.of(clusterRole("pod-reader", Map.of(), READ_PODS)), List.of(),
                List.of(binding("", "all-sas", "ClusterRole", "pod-reader",
                        new Subject(Subject.GROUP, RbacResources.GROUP, "system:serviceaccounts:ci", ""))),
                List.of(binding("team-a", "local-sa", "ClusterRole", "pod-reader",
                                new Subject(Subject.SERVICE_ACCOUNT, "", "builder", "")),
                        binding("team-a", "remote-sa", "ClusterRole", "pod-reader",
                                new Subject(Subject.SERVICE_ACCOUNT, "", "deployer", "tools"))));
        RequestInfo getPod = RequestInfo.resource("get", "", "team-a", "pods", "", "p");

        UserInfo builder = UserInfo.of("system:serviceaccount:team-a:builder", "system:serviceaccounts",
                "system:serviceaccounts:team-a");
        assertThat(rbac.authorize(builder, getPod).reason()).isEqualTo("RBAC: allowed by RoleBinding "
                + "\"local-sa/team-a\" of ClusterRole \"pod-reader\" to ServiceAccount \"builder/team-a\"");
        UserInfo sameNameElsewhere = UserInfo.of("system:serviceaccount:team-b:builder", "system:serviceaccounts");
        assertThat(rbac.authorize(sameNameElsewhere, getPod).allowed()).isFalse();
        UserInfo deployer = UserInfo.of("system:serviceaccount:tools:deployer", "system:serviceaccounts");
        assertThat(rbac.authorize(deployer, getPod).reason()).contains("ServiceAccount \"deployer/tools\"");
        UserInfo ciAccount = UserInfo.of("system:serviceaccount:ci:runner", "system:serviceaccounts",
                "system:serviceaccounts:ci");
        assertThat(rbac.authorize(ciAccount, getPod).reason()).isEqualTo("RBAC: allowed by ClusterRoleBinding "
                + "\"all-sas\" of ClusterRole \"pod-reader\" to Group \"system:serviceaccounts:ci\"");
        assertThat(rbac.authorize(UserInfo.of("system:serviceaccount:ci:runner"), getPod).allowed())
                .as("the group, not the name, grants").isFalse();
    }

    @Test
    void aClusterRoleBindingNeverMatchesAServiceAccountWithoutANamespace() {
        RbacAuthorizer rbac = authorizer(List.of(clusterRole("pod-reader", Map.of(), READ_PODS)), List.of(),
                List.of(binding("", "sa", "ClusterRole", "pod-reader",
                        new Subject(Subject.SERVICE_ACCOUNT, "", "builder", ""))), List.of());

        assertThat(rbac.authorize(UserInfo.of("system:serviceaccount::builder"),
                RequestInfo.resource("get", "", "ns", "pods", "", "p")).allowed()).isFalse();
    }

    @Test
    void aBindingToAMissingRoleGrantsNothingAndSaysSo() {
        RbacAuthorizer rbac = authorizer(List.of(), List.of(), List.of(
                binding("", "dangling", "ClusterRole", "gone", user("jane"))), List.of(
                binding("ns", "dangling-role", "Role", "gone-too", user("jane"))));

        Decision decision = rbac.authorize(JANE, RequestInfo.resource("get", "", "ns", "pods", "", "p"));

        assertThat(decision.kind()).isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(decision.reason()).isEqualTo("RBAC: [clusterrole.rbac.authorization.k8s.io \"gone\" not found, "
                + "role.rbac.authorization.k8s.io \"gone-too\" not found]");
    }

    @Test
    void anAggregatedClusterRoleGrantsTheRulesOfTheRolesItSelectsTransitively() {
        Role viewRules = clusterRole("aggregate-to-view", Map.of("to-view", "true"), READ_PODS);
        Role editRules = clusterRole("aggregate-to-edit", Map.of("to-edit", "true"), WRITE_SECRETS);
        Role view = aggregated("view", Map.of("to-edit", "true"), "to-view");
        Role edit = aggregated("edit", Map.of(), "to-edit");
        Role ignored = clusterRole("unlabelled", Map.of(), PolicyRule.resources(List.of("*"), List.of("*"),
                List.of("*")));
        RbacPolicy policy = new RbacPolicy(List.of(viewRules, editRules, view, edit, ignored), List.of(),
                List.of(), List.of(binding("ns", "editors", "ClusterRole", "edit", user("jane"))));
        RbacAuthorizer rbac = new RbacAuthorizer(PolicySource.of(policy));

        assertThat(policy.rulesOf(view)).containsExactly(READ_PODS);
        assertThat(policy.rulesOf(edit)).containsExactly(WRITE_SECRETS, READ_PODS);
        assertThat(rbac.authorize(JANE, RequestInfo.resource("get", "", "ns", "pods", "", "p")).reason())
                .isEqualTo("RBAC: allowed by RoleBinding \"editors/ns\" of ClusterRole \"edit\" to User \"jane\"");
        assertThat(rbac.authorize(JANE, RequestInfo.resource("create", "", "ns", "secrets", "", "")).allowed())
                .isTrue();
        assertThat(rbac.authorize(JANE, RequestInfo.resource("delete", "", "ns", "pods", "", "p")).allowed())
                .isFalse();
    }

    @Test
    void anAggregatedRolesOwnRulesAreReplacedByWhatItSelectsAndCyclesEnd() {
        Role a = new Role("", "a", Map.of("agg", "true"), List.of(READ_PODS), List.of(new LabelSelector(List.of(
                new LabelSelector.Requirement("agg", LabelSelector.Operator.EQUALS, Set.of("true"))))));
        Role b = new Role("", "b", Map.of("agg", "true"), List.of(), List.of(new LabelSelector(List.of(
                new LabelSelector.Requirement("agg", LabelSelector.Operator.EQUALS, Set.of("true"))))));
        Role c = clusterRole("c", Map.of("agg", "true"), WRITE_SECRETS);

        RbacPolicy policy = new RbacPolicy(List.of(a, b, c), List.of(), List.of(), List.of());

        assertThat(policy.rulesOf(a)).containsExactly(WRITE_SECRETS);
        assertThat(policy.rulesOf(b)).containsExactly(WRITE_SECRETS);
    }

    @Test
    void rulesForListsEveryRuleThatApplies() {
        RbacAuthorizer rbac = authorizer(List.of(clusterRole("pod-reader", Map.of(), READ_PODS),
                        clusterRole("discovery", Map.of(), PolicyRule.urls(List.of("get"), List.of("/api/*")))),
                List.of(new Role("ns", "secret-writer", Map.of(), List.of(WRITE_SECRETS), List.of())),
                List.of(binding("", "d", "ClusterRole", "discovery",
                        new Subject(Subject.GROUP, RbacResources.GROUP, "system:authenticated", ""))),
                List.of(binding("ns", "w", "Role", "secret-writer", user("jane")),
                        binding("other", "r", "ClusterRole", "pod-reader", user("jane"))));

        SubjectRules rules = rbac.rulesFor(JANE, "ns");

        assertThat(rules.nonResourceRules()).containsExactly(
                new SubjectRules.NonResourceRule(List.of("get"), List.of("/api/*")));
        assertThat(rules.resourceRules()).containsExactly(new SubjectRules.ResourceRule(List.of("create"),
                List.of(""), List.of("secrets"), List.of()));
        assertThat(rules.incomplete()).isFalse();
        assertThat(rules.evaluationError()).isEmpty();
    }
}
