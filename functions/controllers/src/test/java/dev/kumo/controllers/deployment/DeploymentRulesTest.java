package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure rules: budgets from maxSurge/maxUnavailable, the template hash, revision bookkeeping. */
class DeploymentRulesTest {
    private static ObjectNode rolling(int replicas, String maxSurge, String maxUnavailable) {
        return TestCluster.object("""
                {"spec":{"replicas":%d,"strategy":{"type":"RollingUpdate",
                 "rollingUpdate":{"maxSurge":%s,"maxUnavailable":%s}}}}""".formatted(replicas, maxSurge, maxUnavailable));
    }

    @ParameterizedTest(name = "{0} replicas, surge {1}, unavailable {2} -> {3}, {4}")
    @CsvSource(delimiter = '|', value = {
            "10 | '\"25%\"' | '\"25%\"' | 3 | 2",   // surge rounds up, unavailability down
            "3  | '\"25%\"' | '\"25%\"' | 1 | 0",
            "1  | '\"25%\"' | '\"25%\"' | 1 | 0",
            "10 | 2         | 1         | 2 | 1",
            "4  | 0         | 0         | 0 | 1",   // both 0: one may be unavailable, or nothing could move
            "4  | '\"0%\"'  | '\"0%\"'  | 0 | 1",
            "2  | 0         | 5         | 0 | 2",   // never more unavailable than replicas
            "0  | '\"25%\"' | '\"25%\"' | 0 | 0",
            "10 | '\"x\"'   | 1         | 0 | 1"})  // not a percentage: 0, as Kubernetes' callers treat it
    void budgetsFromMaxSurgeAndMaxUnavailable(int replicas, String surge, String unavailable, int expectedSurge,
                                              int expectedUnavailable) {
        ObjectNode deployment = rolling(replicas, surge, unavailable);

        assertThat(Deployments.maxSurge(deployment)).isEqualTo(expectedSurge);
        assertThat(Deployments.maxUnavailable(deployment)).isEqualTo(expectedUnavailable);
    }

    @Test
    void recreateHasNoBudgets() {
        ObjectNode deployment = TestCluster.object("{\"spec\":{\"replicas\":3,\"strategy\":{\"type\":\"Recreate\"}}}");

        assertThat(Deployments.maxSurge(deployment)).isZero();
        assertThat(Deployments.maxUnavailable(deployment)).isZero();
    }

    @Test
    void theHashIsStableTakesTheCollisionCountAndIgnoresUnsetFields() {
        ObjectNode template = TestCluster.object("""
                {"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""");
        ObjectNode sameWithEmpties = TestCluster.object("""
                {"metadata":{"labels":{"app":"web"},"annotations":{}},
                 "spec":{"containers":[{"image":"nginx","name":"c","env":[]}],"nodeSelector":null}}""");
        ObjectNode other = TestCluster.object("""
                {"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}""");

        String hash = TemplateHash.of(template, null);

        assertThat(hash).isEqualTo(TemplateHash.of(template.deepCopy(), null));
        assertThat(TemplateHash.of(sameWithEmpties, null)).isEqualTo(hash);
        assertThat(TemplateHash.of(other, null)).isNotEqualTo(hash);
        assertThat(TemplateHash.of(template, 1)).isNotEqualTo(hash).isNotEqualTo(TemplateHash.of(template, 2));
        assertThat(hash).matches("[4-9bcdf]{1,10}");
    }

    @Test
    void safeEncodingMapsDigitsAsKubernetesDoes() {
        // SafeEncodeString maps each rune by its code modulo 27: '0' (48) -> 21 -> '4', ..., '9' (57) -> 3 -> 'f';
        // which is why Kubernetes' hashes (5d59d67564) only ever hold 4-9, b, c, d and f.
        assertThat(TemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
    }

    @Test
    void aRolledBackReplicaSetRecordsItsPreviousRevision() {
        ObjectNode deployment = TestCluster.object("""
                {"metadata":{"annotations":{"kubernetes.io/change-cause":"undo",
                  "deployment.kubernetes.io/revision":"5"}},"spec":{"replicas":2}}""");
        ObjectNode rs = TestCluster.object("""
                {"metadata":{"annotations":{"deployment.kubernetes.io/revision":"2",
                  "deployment.kubernetes.io/revision-history":"1"}}}""");

        boolean changed = RevisionAnnotations.setNewReplicaSetAnnotations(deployment, rs, 6, true);

        assertThat(changed).isTrue();
        assertThat(rs.path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asText())
                .isEqualTo("6");
        assertThat(rs.path("metadata").path("annotations").path("deployment.kubernetes.io/revision-history").asText())
                .isEqualTo("1,2");
        assertThat(rs.path("metadata").path("annotations").path("kubernetes.io/change-cause").asText())
                .isEqualTo("undo");
        assertThat(RevisionAnnotations.setNewReplicaSetAnnotations(deployment, rs, 6, true)).isFalse();
    }

    @Test
    void templatesAreComparedWithoutTheHashLabel() {
        ObjectNode deployment = TestCluster.object("""
                {"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""");
        ObjectNode rs = TestCluster.object("""
                {"metadata":{"labels":{"app":"web","pod-template-hash":"abc"}},
                 "spec":{"containers":[{"name":"c","image":"nginx","ports":[]}]}}""");

        assertThat(Templates.equalIgnoringHash(deployment, rs)).isTrue();
        ((ObjectNode) rs.path("metadata").path("labels")).put("app", "api");
        assertThat(Templates.equalIgnoringHash(deployment, rs)).isFalse();
    }
}
