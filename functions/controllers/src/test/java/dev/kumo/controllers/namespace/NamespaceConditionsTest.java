package dev.kumo.controllers.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The NamespaceDeletion* conditions with kube's reasons and messages, including the failures the API rarely gives. */
class NamespaceConditionsTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2025-01-01T00:01:00Z");

    private static JsonNode condition(ObjectNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return condition;
            }
        }
        throw new AssertionError(type);
    }

    @Test
    void failuresHaveKubesReasonsAndMessages() {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        NamespaceConditions conditions = new NamespaceConditions();
        conditions.discoveryFailed("unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: "
                + "the server is currently unable to handle the request", 1);
        conditions.groupVersionParsingFailed("unexpected GroupVersion string: a/b/c");
        conditions.deleteContentFailed("b failed");
        conditions.deleteContentFailed("a failed");
        conditions.contentTotals(Map.of("deployments.apps", 2, "pods.", 1), Map.of("example.com/x", 3));

        assertThat(conditions.applyTo(status, T0)).isTrue();

        assertThat(condition(status, "NamespaceDeletionDiscoveryFailure")).isEqualTo(node("""
                {"type":"NamespaceDeletionDiscoveryFailure","status":"True","lastTransitionTime":"2025-01-01T00:00:00Z",
                 "reason":"DiscoveryFailed","message":"Discovery failed for some groups, 1 failing: unable to retrieve \
                the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle \
                the request"}"""));
        assertThat(condition(status, "NamespaceDeletionGroupVersionParsingFailure").path("reason").asText())
                .isEqualTo("GroupVersionParsingFailed");
        assertThat(condition(status, "NamespaceDeletionContentFailure").path("message").asText())
                .isEqualTo("Failed to delete all resource types, 2 remaining: a failed, b failed");
        assertThat(condition(status, "NamespaceContentRemaining").path("message").asText()).isEqualTo(
                "Some resources are remaining: deployments.apps has 2 resource instances, pods. has 1 resource "
                        + "instances");
        assertThat(condition(status, "NamespaceFinalizersRemaining").path("message").asText()).isEqualTo(
                "Some content in the namespace has finalizers remaining: example.com/x in 3 resource instances");
    }

    @Test
    void recoveringConditionsFlipToTheirOkVariantAndOnlyThenMoveTheTransitionTime() {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        NamespaceConditions failing = new NamespaceConditions();
        failing.contentTotals(Map.of("pods.", 1), Map.of());
        failing.applyTo(status, T0);

        assertThat(new NamespaceConditions().applyTo(status, T1)).isTrue();

        JsonNode remaining = condition(status, "NamespaceContentRemaining");
        assertThat(remaining.path("status").asText()).isEqualTo("False");
        assertThat(remaining.path("reason").asText()).isEqualTo("ContentRemoved");
        assertThat(remaining.path("message").asText()).isEqualTo("All content successfully removed");
        assertThat(remaining.path("lastTransitionTime").asText()).isEqualTo(T1.toString());
        assertThat(condition(status, "NamespaceDeletionDiscoveryFailure").path("lastTransitionTime").asText())
                .isEqualTo(T0.toString());
        assertThat(new NamespaceConditions().applyTo(status, T1)).isFalse();
    }

    private static JsonNode node(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
