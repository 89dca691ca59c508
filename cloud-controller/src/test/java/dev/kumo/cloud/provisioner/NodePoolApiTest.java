package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** NodePools as the API server serves them: defaults, validation (422 naming the field), scale, status, discovery. */
class NodePoolApiTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();
    private static final PoolFixtures FIXTURES = new PoolFixtures(ADMIN);

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @Test
    void aPoolGetsItsDefaults() {
        ObjectNode pool = FIXTURES.pool("defaults", "kumo.small", 0, 3, "");

        assertThat(pool.path("spec").path("emptyNodeTTL").asText()).isEqualTo("5m0s");
        assertThat(pool.path("spec").path("minSize").asInt()).isZero();
        assertThat(pool.path("spec").has("replicas")).isFalse();
        assertThat(pool.path("metadata").path("generation").asLong()).isEqualTo(1);
    }

    @Test
    void invalidPoolsAreRefusedWithWhatIsWrong() {
        assertInvalid("""
                {"instanceTypes":["kumo.small"],"minSize":3,"maxSize":2}""",
                "spec.minSize: Invalid value: \"3\": must be less than or equal to spec.maxSize (2)");
        assertInvalid("""
                {"instanceTypes":["kumo.small"],"minSize":1}""", "spec.maxSize: Required value");
        assertInvalid("""
                {"instanceTypes":[],"maxSize":2}""", "spec.instanceTypes: Required value");
        assertInvalid("""
                {"instanceTypes":["kumo.small"],"maxSize":2,"emptyNodeTTL":"soon"}""",
                "spec.emptyNodeTTL: Invalid value: \"soon\"");
        assertInvalid("""
                {"instanceTypes":["kumo.small"],"maxSize":2,"taints":[{"key":"a","effect":"Sometimes"}]}""",
                "spec.taints[0].effect: Unsupported value: \"Sometimes\"");
        assertInvalid("""
                {"instanceTypes":["kumo.small"],"maxSize":-1,"minSize":0}""",
                "spec.maxSize: Invalid value: \"-1\": must be greater than or equal to 0");
        assertInvalid("""
                {"instanceTypes":["kumo.small"],"maxSize":2,"labels":{"bad key!":"x"}}""",
                "spec.labels: Invalid value: \"bad key!\"");
    }

    private static void assertInvalid(String spec, String message) {
        ObjectNode pool = PoolFixtures.json("""
                {"apiVersion":"kumo.dev/v1alpha1","kind":"NodePool","metadata":{"name":"invalid"},"spec":%s}"""
                .formatted(spec));
        assertThatThrownBy(() -> ADMIN.create(ResourceType.NODE_POOLS, "", pool)).isInstanceOfSatisfying(
                ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("NodePool.kumo.dev \"invalid\" is invalid").contains(message);
                });
    }

    @Test
    void scaleSetsReplicasWithinTheBounds() {
        FIXTURES.pool("scaled", "kumo.small", 1, 5, "");
        ObjectNode scale = ADMIN.getPath("/apis/kumo.dev/v1alpha1/nodepools/scaled/scale");
        assertThat(scale.path("kind").asText()).isEqualTo("Scale");
        assertThat(scale.path("spec").path("replicas").asInt()).isZero();

        scale.withObjectProperty("spec").put("replicas", 3);
        ObjectNode updated = ADMIN.updateSubresource(ResourceType.NODE_POOLS, scale, "scale");
        assertThat(updated.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(ADMIN.get(ResourceType.NODE_POOLS, "", "scaled").orElseThrow().path("spec").path("replicas")
                .asInt()).isEqualTo(3);

        ObjectNode tooMany = ADMIN.getPath("/apis/kumo.dev/v1alpha1/nodepools/scaled/scale");
        tooMany.withObjectProperty("spec").put("replicas", 50);
        assertThat(ADMIN.updateSubresource(ResourceType.NODE_POOLS, tooMany, "scale").path("spec").path("replicas")
                .asInt()).isEqualTo(5);

        ObjectNode patch = PoolFixtures.json("{\"spec\":{\"replicas\":0}}");
        ADMIN.mergePatch(ResourceType.NODE_POOLS, "", "scaled", "scale", patch);
        assertThat(ADMIN.get(ResourceType.NODE_POOLS, "", "scaled").orElseThrow().path("spec").path("replicas")
                .asInt()).isEqualTo(1);
    }

    @Test
    void theCloudControllerWritesStatusAndTheSpecKeepsIt() {
        ObjectNode pool = FIXTURES.pool("status", "kumo.small", 0, 3, "");
        KubeClient cloud = CLUSTER.cloudController();
        pool.putObject("status").put("nodes", 2).put("readyNodes", 1).put("replicas", 2).put("launchCount", 2);
        ObjectNode written = cloud.updateStatus(ResourceType.NODE_POOLS, pool);
        assertThat(written.path("status").path("launchCount").asInt()).isEqualTo(2);

        written.withObjectProperty("spec").put("maxSize", 4);
        written.withObjectProperty("status").put("launchCount", 99);
        ObjectNode updated = ADMIN.update(ResourceType.NODE_POOLS, written);
        assertThat(updated.path("status").path("launchCount").asInt()).isEqualTo(2);
        assertThat(updated.path("metadata").path("generation").asLong()).isEqualTo(2);

        assertThatThrownBy(() -> cloud.create(ResourceType.NODE_POOLS, "", PoolFixtures.json("""
                {"apiVersion":"kumo.dev/v1alpha1","kind":"NodePool","metadata":{"name":"nope"},
                 "spec":{"instanceTypes":["kumo.small"],"maxSize":1}}""")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(403));
    }

    @Test
    void discoveryListsThePoolsWithTheirSubresources() {
        ObjectNode resources = ADMIN.getPath("/apis/kumo.dev/v1alpha1");
        List<String> names = new ArrayList<>();
        resources.path("resources").forEach(r -> names.add(r.path("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("nodepools", "nodepools/status", "nodepools/scale");
        assertThat(resources.path("resources").get(0).path("namespaced").asBoolean()).isFalse();
        assertThat(ADMIN.getPath("/apis").toString()).contains("\"name\":\"kumo.dev\"");
    }
}
