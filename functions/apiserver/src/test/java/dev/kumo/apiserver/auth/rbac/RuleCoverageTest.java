package dev.kumo.apiserver.auth.rbac;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The escalation check's notion of one set of rules covering another ({@code validation.Covers}). */
class RuleCoverageTest {
    private static PolicyRule rule(List<String> verbs, List<String> groups, String... resources) {
        return PolicyRule.resources(verbs, groups, List.of(resources));
    }

    @Test
    void everyVerbGroupAndResourceMustBeHeld() {
        List<PolicyRule> owner = List.of(rule(List.of("get", "list"), List.of(""), "pods", "services"));

        assertThat(RuleCoverage.uncovered(owner, List.of(rule(List.of("get"), List.of(""), "pods")))).isEmpty();
        assertThat(RuleCoverage.uncovered(owner, List.of(rule(List.of("get", "delete"), List.of(""), "pods"))))
                .containsExactly(rule(List.of("delete"), List.of(""), "pods"));
        assertThat(RuleCoverage.uncovered(owner, List.of(rule(List.of("get"), List.of("apps"), "pods"))))
                .hasSize(1);
    }

    @Test
    void starsAndStarSubresourcesCover() {
        List<PolicyRule> owner = List.of(rule(List.of("*"), List.of("*"), "*/status"),
                rule(List.of("get"), List.of("apps"), "deployments"));

        assertThat(RuleCoverage.uncovered(owner, List.of(rule(List.of("update"), List.of(""), "pods/status"))))
                .isEmpty();
        assertThat(RuleCoverage.uncovered(owner, List.of(rule(List.of("get"), List.of("apps"), "deployments/scale"))))
                .hasSize(1);
    }

    @Test
    void namesLimitWhatIsCovered() {
        List<PolicyRule> named = List.of(rule(List.of("get"), List.of(""), "configmaps").withNames(List.of("a")));

        assertThat(RuleCoverage.uncovered(named, List.of(rule(List.of("get"), List.of(""), "configmaps")
                .withNames(List.of("a"))))).isEmpty();
        assertThat(RuleCoverage.uncovered(named, List.of(rule(List.of("get"), List.of(""), "configmaps"))))
                .as("a rule on every name is more than a rule on one").hasSize(1);
        assertThat(RuleCoverage.uncovered(List.of(rule(List.of("get"), List.of(""), "configmaps")),
                List.of(rule(List.of("get"), List.of(""), "configmaps").withNames(List.of("b"))))).isEmpty();
    }

    @Test
    void urlsAreCoveredByPrefixStars() {
        List<PolicyRule> owner = List.of(PolicyRule.urls(List.of("get"), List.of("/apis/*")));

        assertThat(RuleCoverage.uncovered(owner, List.of(PolicyRule.urls(List.of("get"), List.of("/apis/apps")))))
                .isEmpty();
        assertThat(RuleCoverage.uncovered(owner, List.of(PolicyRule.urls(List.of("get"), List.of("/healthz")))))
                .hasSize(1);
    }

    @Test
    void missingRulesAreDescribedCompactlyAndSortedAsKubernetesDoes() {
        List<PolicyRule> missing = RuleCoverage.uncovered(List.of(), List.of(
                rule(List.of("get", "create"), List.of(""), "pods"),
                PolicyRule.urls(List.of("get"), List.of("/metrics"))));

        assertThat(RuleCoverage.describe(missing)).containsExactly(
                "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"create\"]}",
                "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}");
    }
}
