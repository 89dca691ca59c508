package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** NamespaceLifecycle: no content in missing or terminating namespaces; the system namespaces stay. */
class NamespaceLifecycleTest {
    private final TestApi api = new TestApi();

    @Test
    void creatingInAMissingNamespaceIsNotFound() {
        TestApi.Answer answer = api.call("POST", "/api/v1/namespaces/nowhere/configmaps", TestApi.configMap("a", "1"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().path("message").asText()).isEqualTo("namespaces \"nowhere\" not found");
        assertThat(answer.body().at("/details/kind").asText()).isEqualTo("namespaces");
    }

    @Test
    void aTerminatingNamespaceTakesNoNewContentEvenRightAfterItWasUsed() {
        api.call("POST", "/api/v1/namespaces", """
                {"metadata":{"name":"leaving","finalizers":["example.com/hold"]}}""");
        // Content created just before: the namespace is now remembered as active.
        assertThat(api.call("POST", "/api/v1/namespaces/leaving/configmaps", TestApi.configMap("before", "1"))
                .status()).isEqualTo(201);
        assertThat(api.call("DELETE", "/api/v1/namespaces/leaving", null).status()).isEqualTo(202);

        TestApi.Answer refused = api.call("POST", "/api/v1/namespaces/leaving/configmaps",
                TestApi.configMap("after", "1"));
        TestApi.Answer generated = api.call("POST", "/api/v1/namespaces/leaving/pods",
                "{\"metadata\":{\"generateName\":\"web-\"},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"b\"}]}}");

        assertThat(refused.status()).isEqualTo(403);
        JsonNode status = refused.body();
        assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
        assertThat(status.path("message").asText()).isEqualTo("configmaps \"after\" is forbidden: unable to create "
                + "new content in namespace leaving because it is being terminated");
        assertThat(TestApi.json(status.at("/details/causes"))).isEqualTo(TestApi.json("""
                [{"reason":"NamespaceTerminating","message":"namespace leaving is being terminated",
                  "field":"metadata.namespace"}]"""));
        assertThat(generated.body().path("message").asText()).startsWith("pods \"web-\" is forbidden: unable to");
        // Updates and deletes of what is there still work, so the namespace can be emptied.
        assertThat(api.call("DELETE", "/api/v1/namespaces/leaving/configmaps/before", null).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "kube-system", "kube-public"})
    void systemNamespacesCannotBeDeleted(String name) {
        TestApi.Answer answer = api.call("DELETE", "/api/v1/namespaces/" + name, null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body().path("message").asText())
                .isEqualTo("namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
        assertThat(api.call("GET", "/api/v1/namespaces/" + name, null).body().at("/metadata/deletionTimestamp")
                .isMissingNode()).isTrue();
    }

    @Test
    void otherNamespacesCanBeDeleted() {
        api.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"temp\"}}");

        assertThat(api.call("DELETE", "/api/v1/namespaces/temp", null).status()).isIn(200, 202);
        assertThat(api.call("POST", "/api/v1/namespaces/temp/configmaps", TestApi.configMap("a", "1")).status())
                .isIn(403, 404);
    }
    @Test
    void aDeletedNamespaceStaysTerminatingUntilItsFinalizersAreGone() {
        api.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"closing\"},"
                + "\"spec\":{\"finalizers\":[\"example.com/x\"]}}");
        assertThat(api.call("GET", "/api/v1/namespaces/closing", null).body().at("/spec/finalizers").toString())
                .isEqualTo("[\"example.com/x\",\"kubernetes\"]");

        api.call("DELETE", "/api/v1/namespaces/closing", null);

        JsonNode closing = api.call("GET", "/api/v1/namespaces/closing", null).body();
        assertThat(closing.at("/status/phase").asText()).isEqualTo("Terminating");
        assertThat(closing.at("/metadata/deletionTimestamp").asText()).isNotEmpty();
        // A status write does not complete the deletion while spec.finalizers remain, nor does a second DELETE.
        ((com.fasterxml.jackson.databind.node.ObjectNode) closing.path("status")).put("phase", "Terminating");
        assertThat(api.call("PUT", "/api/v1/namespaces/closing/status", closing.toString()).status())
                .isEqualTo(200);
        api.call("DELETE", "/api/v1/namespaces/closing", null);
        assertThat(api.call("GET", "/api/v1/namespaces/closing", null).status()).isEqualTo(200);

        assertThat(api.call("PUT", "/api/v1/namespaces/closing/finalize",
                "{\"metadata\":{\"name\":\"closing\"},\"spec\":{\"finalizers\":[\"example.com/x\"]}}")
                .status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/v1/namespaces/closing", null).status()).isEqualTo(200);
        api.call("PUT", "/api/v1/namespaces/closing/finalize",
                "{\"metadata\":{\"name\":\"closing\"},\"spec\":{\"finalizers\":[]}}");
        assertThat(api.call("GET", "/api/v1/namespaces/closing", null).status()).isEqualTo(404);
    }
}
