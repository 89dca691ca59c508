package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a Status with the right code and a message naming the problem, and leaves nothing behind. */
class BadInputTest {
    private static final String CM = "/api/v1/namespaces/default/configmaps";
    private final TestApi api = new TestApi();

    @Test
    void malformedJsonIs400() {
        TestApi.Answer answer = api.call("POST", CM, "{\"metadata\": {\"name\": \"x\"");

        assertStatus(answer, 400, "BadRequest", "not valid JSON");
        assertThat(api.call("GET", CM + TestApi.OWN_CONFIG_MAPS, null).body().path("items")).isEmpty();
    }

    @Test
    void malformedYamlIs400() {
        TestApi.Answer answer = api.call("POST", CM, "metadata: [name: x", "application/yaml", Map.of());

        assertStatus(answer, 400, "BadRequest", "not valid YAML");
    }

    @Test
    void unknownResourceIs404() {
        assertStatus(api.call("GET", "/api/v1/namespaces/default/widgets", null), 404, "NotFound", "widgets");
        assertStatus(api.call("GET", "/apis/nothing.example.com/v1/things", null), 404, "NotFound", "");
    }

    @Test
    void invalidNameAndMissingFieldsAre422WithACausePerField() {
        TestApi.Answer answer = api.call("POST", "/apis/apps/v1/namespaces/default/deployments",
                "{\"metadata\":{\"name\":\"Bad_Name\"},\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\"}]}}}}");

        assertStatus(answer, 422, "Invalid", "Deployment.apps \"Bad_Name\" is invalid");
        assertThat(answer.body().at("/details/causes").findValuesAsText("field"))
                .contains("metadata.name", "spec.selector", "spec.template.spec.containers[0].image");
        assertThat(api.call("GET", "/apis/apps/v1/namespaces/default/deployments", null).body().path("items")).isEmpty();
    }

    @Test
    void staleResourceVersionIs409() {
        String first = api.call("POST", CM, TestApi.configMap("a", "1")).body().at("/metadata/resourceVersion").asText();
        api.call("PUT", CM + "/a", TestApi.configMap("a", "2"));
        TestApi.Answer answer = api.call("PUT", CM + "/a", "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\""
                + first + "\"},\"data\":{\"key\":\"3\"}}");

        assertStatus(answer, 409, "Conflict", "has been modified");
    }

    @Test
    void dataOverOneMebibyteIs422AndBodiesOverThreeMegabytesAre413() {
        String big = "x".repeat(1024 * 1024 + 1);
        TestApi.Answer tooMuchData = api.call("POST", CM, TestApi.configMap("big", big));
        TestApi.Answer tooLargeBody = api.call("POST", CM, TestApi.configMap("huge", "y".repeat(3 * 1024 * 1024)));

        assertStatus(tooMuchData, 422, "Invalid", "must have at most 1048576 bytes");
        assertStatus(tooLargeBody, 413, "RequestEntityTooLarge", "limit");
        assertThat(api.call("GET", CM + TestApi.OWN_CONFIG_MAPS, null).body().path("items")).isEmpty();
    }

    @Test
    void missingNamespaceIs404() {
        assertStatus(api.call("POST", "/api/v1/namespaces/nowhere/configmaps", TestApi.configMap("a", "1")),
                404, "NotFound", "namespaces \"nowhere\" not found");
    }

    @Test
    void wrongContentTypeIs415() {
        assertStatus(api.call("POST", CM, TestApi.configMap("a", "1"), "text/plain", Map.of()),
                415, "UnsupportedMediaType", "text/plain");
        assertStatus(api.call("PATCH", CM + "/a", "{}", "application/json", Map.of()),
                415, "UnsupportedMediaType", "strategic-merge-patch");
    }

    @Test
    void mismatchedKindAndNamespaceAre400() {
        assertStatus(api.call("POST", CM, "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\"}}"), 400, "BadRequest",
                "kind");
        assertStatus(api.call("POST", CM, "{\"metadata\":{\"name\":\"a\",\"namespace\":\"kube-system\"}}"), 400,
                "BadRequest", "does not match the namespace");
    }

    @Test
    void badSelectorsAndParametersAre400() {
        assertStatus(api.call("GET", CM + "?labelSelector=a%20in%20(b", null), 400, "BadRequest", "label selector");
        assertStatus(api.call("GET", CM + "?fieldSelector=spec.nodeName%3Dx", null), 400, "BadRequest",
                "field label not supported: spec.nodeName");
        assertStatus(api.call("GET", CM + "?limit=ten", null), 400, "BadRequest", "limit");
        assertStatus(api.call("GET", CM + "?limit=1&continue=garbage", null), 400, "BadRequest", "continue");
    }

    @Test
    void aBrokenPatchIs400AndAPatchThatDoesNotFitIs422() {
        api.call("POST", CM, TestApi.configMap("a", "1"));

        assertStatus(api.call("PATCH", CM + "/a", "[{\"op\":\"jump\",\"path\":\"/data\"}]",
                "application/json-patch+json", Map.of()), 400, "BadRequest", "jump");
        assertStatus(api.call("PATCH", CM + "/a", "[{\"op\":\"remove\",\"path\":\"/data/missing\"}]",
                "application/json-patch+json", Map.of()), 422, "Invalid", "missing");
    }

    private static void assertStatus(TestApi.Answer answer, int code, String reason, String messagePart) {
        JsonNode status = answer.body();
        assertThat(answer.status()).as(answer.text()).isEqualTo(code);
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("code").asInt()).isEqualTo(code);
        assertThat(status.path("reason").asText()).isEqualTo(reason);
        assertThat(status.path("message").asText()).contains(messagePart);
    }
}
