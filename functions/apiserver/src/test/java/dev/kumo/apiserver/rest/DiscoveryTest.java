package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryTest {
    private final TestApi api = new TestApi();

    @Test
    void legacyDiscoveryListsGroupsAndResourcesWithSubresources() {
        JsonNode groups = api.call("GET", "/apis", null).body();
        JsonNode core = api.call("GET", "/api/v1", null).body();

        assertThat(groups.path("groups").findValuesAsText("name"))
                .containsExactly("apps", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "kumo.dev",
                        "rbac.authorization.k8s.io", "authentication.k8s.io", "authorization.k8s.io");
        assertThat(core.path("resources").findValuesAsText("name"))
                .contains("pods", "pods/status", "pods/binding", "namespaces/finalize", "services");
    }

    @Test
    void aggregatedDiscoveryAnswersInTheVersionKubectlAsksFor() {
        for (String version : new String[]{"v2", "v2beta1"}) {
            String mediaType = "application/json;g=apidiscovery.k8s.io;v=" + version + ";as=APIGroupDiscoveryList";
            TestApi.Answer answer = api.call("GET", "/apis", null, null, Map.of("Accept", mediaType + ",application/json"));

            assertThat(answer.headers().get("Content-Type")).isEqualTo(mediaType);
            assertThat(answer.body().path("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/" + version);
            JsonNode deployments = answer.body().at("/items/0/versions/0/resources/0");
            assertThat(deployments.path("resource").asText()).isEqualTo("deployments");
            assertThat(deployments.path("subresources").findValuesAsText("subresource")).contains("scale", "status");
        }
    }

    @Test
    void versionReportsAKubernetesVersion() {
        JsonNode version = api.call("GET", "/version", null).body();

        assertThat(version.path("gitVersion").asText()).startsWith("v1.32.");
        assertThat(version.path("minor").asText()).isEqualTo("32");
    }
}
