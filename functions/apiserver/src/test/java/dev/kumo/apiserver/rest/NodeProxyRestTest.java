package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nodes/{name}/proxy/{path}} up to the point where the API server calls the node: who may (RBAC's
 * {@code get nodes/proxy}), which node, which paths, and discovery (the node's side and a relayed summary are in
 * node-agent's StatsSummaryTest and SimulatedStreamsTest).
 */
class NodeProxyRestTest {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
        KubeletNodes.withoutEndpoint(api, "quiet", "10.0.0.9");
        KubeletNodes.unreachable(api, "gone");
    }

    private static JsonNode status(String token, String method, String path, int expected) {
        TestApi.Answer answer = api.callAs(token, method, path, null);
        assertThat(answer.status()).as(answer.text()).isEqualTo(expected);
        assertThat(answer.body().path("kind").asText()).as(answer.text()).isEqualTo("Status");
        return answer.body();
    }

    @Test
    void anUnknownNodeIs404() {
        JsonNode status = status(TestApi.ADMIN_TOKEN, "GET", "/api/v1/nodes/nope/proxy/stats/summary", 404);
        assertThat(status.path("reason").asText()).isEqualTo("NotFound");
        assertThat(status.path("message").asText()).isEqualTo("nodes \"nope\" not found");
    }

    @Test
    void aNodeWithoutAKubeletEndpointIs400() {
        assertThat(status(TestApi.ADMIN_TOKEN, "GET", "/api/v1/nodes/quiet/proxy/stats/summary", 400)
                .path("message").asText()).startsWith("node \"quiet\" serves no kubelet endpoint (its port is 0)");
    }

    @Test
    void aNodeThatCannotBeReachedIs502NamingIt() {
        assertThat(status(TestApi.ADMIN_TOKEN, "GET", "/api/v1/nodes/gone/proxy/healthz", 502)
                .path("message").asText()).startsWith("the kubelet endpoint of node \"gone\" at 127.0.0.1:1 cannot be "
                + "reached");
    }

    @Test
    void onlyGetOfTheReadOnlyPathsIsRelayed() {
        assertThat(status(TestApi.ADMIN_TOKEN, "GET", "/api/v1/nodes/quiet/proxy/containerLogs/default/p/c", 404)
                .path("message").asText()).isEqualTo("node \"quiet\": kumo relays only stats/summary, healthz to a "
                + "node's kubelet endpoint, not \"/containerLogs/default/p/c\"");
        status(TestApi.ADMIN_TOKEN, "GET", "/api/v1/nodes/quiet/proxy", 404);
        status(TestApi.ADMIN_TOKEN, "POST", "/api/v1/nodes/quiet/proxy/stats/summary", 405);
    }

    @Test
    void aPlainUserIsForbiddenAndAdminsAreNot() {
        JsonNode forbidden = status(TestApi.JANE_TOKEN, "GET", "/api/v1/nodes/quiet/proxy/stats/summary", 403);
        assertThat(forbidden.path("reason").asText()).isEqualTo("Forbidden");
        assertThat(forbidden.path("message").asText()).contains("cannot get resource \"nodes/proxy\"");
        // a node's own credential is no more than a plain user's here (kube's node authorizer grants no nodes/proxy)
        status(TestApi.NODE_A_TOKEN, "GET", "/api/v1/nodes/quiet/proxy/stats/summary", 403);
        status(TestApi.ADMIN_TOKEN, "GET", "/api/v1/nodes/quiet/proxy/stats/summary", 400); // allowed: the node
    }

    @Test
    void discoveryListsNodesProxy() {
        TestApi.Answer answer = api.call("GET", "/api/v1", null);
        List<JsonNode> proxy = new ArrayList<>();
        answer.body().path("resources").forEach(resource -> {
            if (resource.path("name").asText().equals("nodes/proxy")) {
                proxy.add(resource);
            }
        });
        assertThat(proxy).hasSize(1);
        assertThat(proxy.get(0).path("kind").asText()).isEqualTo("NodeProxyOptions");
        assertThat(proxy.get(0).path("verbs").toString()).isEqualTo("[\"get\"]");
    }
}
