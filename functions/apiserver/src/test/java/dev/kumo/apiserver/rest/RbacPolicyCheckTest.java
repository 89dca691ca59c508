package dev.kumo.apiserver.rest;

import dev.kumo.apiserver.auth.rbac.Binding;
import dev.kumo.apiserver.auth.rbac.RbacPolicy;
import dev.kumo.apiserver.auth.rbac.StorePolicySource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long one read of the RBAC revision counters vouches for a process's copy of the policy: the test's API server
 * stands for another process writing a ClusterRoleBinding into the same store.
 */
class RbacPolicyCheckTest {
    private static final String CLUSTER_ROLE_BINDINGS = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings";
    private final TestApi api = new TestApi();

    @Test
    void aChangeByAnotherProcessShowsWhenTheCheckExpiresOrAtOnceWhenThisProcessIsToldOfIt() {
        StorePolicySource vouching = new StorePolicySource(api.store, Duration.ofMinutes(10));
        StorePolicySource everyCall = new StorePolicySource(api.store, Duration.ZERO);
        assertThat(names(vouching.policy(false))).doesNotContain("jane-views");
        assertThat(names(everyCall.policy(false))).doesNotContain("jane-views");

        assertThat(api.call("POST", CLUSTER_ROLE_BINDINGS, """
                {"metadata":{"name":"jane-views"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io",
                 "kind":"ClusterRole","name":"view"},
                 "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"}]}""").status())
                .isEqualTo(201);

        assertThat(names(everyCall.policy(false))).contains("jane-views");
        assertThat(names(vouching.policy(false))).doesNotContain("jane-views"); // its last check still vouches
        vouching.changed();
        assertThat(names(vouching.policy(false))).contains("jane-views");
    }

    private static List<String> names(RbacPolicy policy) {
        return policy.clusterRoleBindings().stream().map(Binding::name).toList();
    }
}
