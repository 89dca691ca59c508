package dev.kumo.apiserver.auth.rbac;

import dev.kumo.apiserver.auth.authz.RequestInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each dimension of an RBAC rule, as Kubernetes' {@code RuleAllows} decides it. */
class RuleMatchingTest {
    private static final PolicyRule GET_PODS = PolicyRule.resources(List.of("get"), List.of(""), List.of("pods"));

    private static RequestInfo get(String group, String resource, String subresource, String name) {
        return RequestInfo.resource("get", group, "ns", resource, subresource, name);
    }

    @Test
    void verbsMustMatchUnlessTheRuleHasAStar() {
        assertThat(RuleMatching.allows(GET_PODS, get("", "pods", "", "p"))).isTrue();
        assertThat(RuleMatching.allows(GET_PODS, RequestInfo.resource("delete", "", "ns", "pods", "", "p"))).isFalse();
        assertThat(RuleMatching.allows(GET_PODS, RequestInfo.resource("list", "", "ns", "pods", "", ""))).isFalse();
        PolicyRule anyVerb = PolicyRule.resources(List.of("*"), List.of(""), List.of("pods"));
        assertThat(RuleMatching.allows(anyVerb, RequestInfo.resource("escalate", "", "ns", "pods", "", ""))).isTrue();
    }

    @Test
    void apiGroupsMustMatchUnlessTheRuleHasAStar() {
        assertThat(RuleMatching.allows(GET_PODS, get("apps", "pods", "", "p"))).isFalse();
        PolicyRule apps = PolicyRule.resources(List.of("get"), List.of("apps"), List.of("deployments"));
        assertThat(RuleMatching.allows(apps, get("apps", "deployments", "", "d"))).isTrue();
        assertThat(RuleMatching.allows(apps, get("", "deployments", "", "d"))).isFalse();
        PolicyRule anyGroup = PolicyRule.resources(List.of("get"), List.of("*"), List.of("deployments"));
        assertThat(RuleMatching.allows(anyGroup, get("extensions", "deployments", "", "d"))).isTrue();
    }

    @Test
    void aResourceDoesNotCoverItsSubresources() {
        assertThat(RuleMatching.allows(GET_PODS, get("", "pods", "status", "p"))).isFalse();
        assertThat(RuleMatching.allows(GET_PODS, get("", "pods", "log", "p"))).isFalse();
        assertThat(RuleMatching.allows(GET_PODS, get("", "nodes", "", "n"))).isFalse();
    }

    @Test
    void aSubresourceIsNamedWithItsResourceOrWithAStar() {
        PolicyRule podStatus = PolicyRule.resources(List.of("get"), List.of(""), List.of("pods/status"));
        assertThat(RuleMatching.allows(podStatus, get("", "pods", "status", "p"))).isTrue();
        assertThat(RuleMatching.allows(podStatus, get("", "pods", "", "p"))).isFalse();
        assertThat(RuleMatching.allows(podStatus, get("", "nodes", "status", "n"))).isFalse();

        PolicyRule anyStatus = PolicyRule.resources(List.of("get"), List.of("*"), List.of("*/status"));
        assertThat(RuleMatching.allows(anyStatus, get("", "pods", "status", "p"))).isTrue();
        assertThat(RuleMatching.allows(anyStatus, get("apps", "deployments", "status", "d"))).isTrue();
        assertThat(RuleMatching.allows(anyStatus, get("", "pods", "", "p"))).as("*/status is no resource").isFalse();
        assertThat(RuleMatching.allows(anyStatus, get("", "pods", "xstatus", "p"))).isFalse();
        assertThat(RuleMatching.allows(anyStatus, get("apps", "deployments", "scale", "d"))).isFalse();
    }

    @Test
    void aStarResourceCoversEveryResourceAndSubresource() {
        PolicyRule everything = PolicyRule.resources(List.of("get"), List.of("*"), List.of("*"));
        assertThat(RuleMatching.allows(everything, get("", "secrets", "", "s"))).isTrue();
        assertThat(RuleMatching.allows(everything, get("apps", "deployments", "scale", "d"))).isTrue();
    }

    @Test
    void resourceNamesMatchOnlyRequestsNamingOneOfThem() {
        PolicyRule named = PolicyRule.resources(List.of("get", "list", "create", "update"), List.of(""),
                List.of("configmaps")).withNames(List.of("settings", "other"));
        assertThat(RuleMatching.allows(named, get("", "configmaps", "", "settings"))).isTrue();
        assertThat(RuleMatching.allows(named, get("", "configmaps", "", "secret-one"))).isFalse();
        // A list or create of the collection names nothing, so a name-limited rule never allows it.
        assertThat(RuleMatching.allows(named, RequestInfo.resource("list", "", "ns", "configmaps", "", "")))
                .isFalse();
        assertThat(RuleMatching.allows(named, RequestInfo.resource("create", "", "ns", "configmaps", "", "")))
                .isFalse();
        // A list narrowed by field selector to one name is authorized as that name.
        assertThat(RuleMatching.allows(named, RequestInfo.resource("list", "", "ns", "configmaps", "",
                "settings"))).isTrue();
    }

    @Test
    void nonResourceUrlsMatchExactlyOrByATrailingStar() {
        PolicyRule urls = PolicyRule.urls(List.of("get"), List.of("/healthz", "/apis/*", "/version/"));
        assertThat(RuleMatching.allows(urls, RequestInfo.nonResource("get", "/healthz"))).isTrue();
        assertThat(RuleMatching.allows(urls, RequestInfo.nonResource("get", "/healthz/etcd"))).isFalse();
        assertThat(RuleMatching.allows(urls, RequestInfo.nonResource("get", "/apis/apps/v1"))).isTrue();
        assertThat(RuleMatching.allows(urls, RequestInfo.nonResource("get", "/apis/"))).isTrue();
        assertThat(RuleMatching.allows(urls, RequestInfo.nonResource("get", "/apis"))).isFalse();
        assertThat(RuleMatching.allows(urls, RequestInfo.nonResource("get", "/version"))).isFalse();
        assertThat(RuleMatching.allows(urls, RequestInfo.nonResource("post", "/healthz"))).isFalse();
        PolicyRule all = PolicyRule.urls(List.of("*"), List.of("*"));
        assertThat(RuleMatching.allows(all, RequestInfo.nonResource("delete", "/anything/at/all"))).isTrue();
    }

    @Test
    void resourceRulesNeverMatchNonResourceRequestsAndTheOtherWayRound() {
        PolicyRule everything = PolicyRule.resources(List.of("*"), List.of("*"), List.of("*"));
        assertThat(RuleMatching.allows(everything, RequestInfo.nonResource("get", "/healthz"))).isFalse();
        PolicyRule urls = PolicyRule.urls(List.of("*"), List.of("*"));
        assertThat(RuleMatching.allows(urls, get("", "pods", "", "p"))).isFalse();
    }
}
