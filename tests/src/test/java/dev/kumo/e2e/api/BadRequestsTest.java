package dev.kumo.e2e.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.e2e.support.ApiClient;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.NamespaceDefaults;
import dev.kumo.e2e.support.RandomData;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static dev.kumo.e2e.support.StatusAssertions.assertFailure;
import static dev.kumo.e2e.support.StatusAssertions.causes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a client library would never send, over raw HTTPS: each is refused with the Kubernetes Status a client
 * can act on (code, reason, a message naming the problem, causes per field) and leaves nothing half-written.
 */
@ExtendWith(SharedCluster.class)
class BadRequestsTest {
    private static final int MIB = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KumoCluster cluster;
    private final ApiClient api;

    BadRequestsTest(KumoCluster cluster) {
        this.cluster = cluster;
        this.api = cluster.api();
    }

    @Test
    void malformedJsonIsABadRequest() {
        String ns = cluster.newNamespace("bad-json");

        JsonNode status = assertFailure(api.send("POST", configMaps(ns), ApiClient.JSON,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"broken\"".getBytes(
                        StandardCharsets.UTF_8)), 400, "BadRequest");

        assertThat(status.path("message").asText()).contains("not valid JSON");
        assertNoConfigMaps(ns);
    }

    @Test
    void malformedYamlIsABadRequest() {
        String ns = cluster.newNamespace("bad-yaml");

        JsonNode status = assertFailure(api.send("POST", configMaps(ns), ApiClient.YAML,
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n".getBytes(StandardCharsets.UTF_8)),
                400, "BadRequest");

        assertThat(status.path("message").asText()).contains("not valid YAML").contains("line 4");
        assertNoConfigMaps(ns);
    }

    @Test
    void aBodyOfAnotherKindIsABadRequest() {
        String ns = cluster.newNamespace("bad-kind");
        ObjectNode secret = configMap("creds");
        secret.put("kind", "Secret");

        JsonNode status = assertFailure(api.post(configMaps(ns), secret), 400, "BadRequest");

        assertThat(status.path("message").asText()).contains("Secret").contains("configmaps");
        assertNoConfigMaps(ns);
    }

    @Test
    void anUnknownResourceIsNotFound() {
        String ns = cluster.newNamespace("unknown-resource");

        for (String path : new String[]{"/api/v1/namespaces/" + ns + "/widgets", "/api/v1/widgets",
                "/apis/example.com/v1/namespaces/" + ns + "/widgets", "/apis/apps/v1/widgets"}) {
            JsonNode status = assertFailure(api.get(path), 404, "NotFound");
            assertThat(status.path("message").asText()).as(path).contains("could not find the requested resource");
        }
        assertFailure(api.post("/api/v1/namespaces/" + ns + "/widgets", configMap("w")), 404, "NotFound");
    }

    @Test
    void anInvalidNameIsInvalidWithACauseForTheName() {
        String ns = cluster.newNamespace("bad-name");

        JsonNode status = assertFailure(api.post(configMaps(ns), configMap("Bad_Name")), 422, "Invalid");

        assertThat(status.path("message").asText()).startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: "
                + "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain");
        assertThat(status.path("details").path("name").asText()).isEqualTo("Bad_Name");
        assertThat(status.path("details").path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(causes(status)).containsExactly("metadata.name FieldValueInvalid");
        assertNoConfigMaps(ns);
    }

    @Test
    void missingRequiredFieldsAreInvalidWithACausePerField() {
        String ns = cluster.newNamespace("missing-fields");
        ObjectNode deployment = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
        deployment.putObject("metadata").put("name", "web");
        deployment.putObject("spec");
        ObjectNode pod = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("generateName", "");
        pod.putObject("spec").putArray("containers").addObject().put("name", "app");

        JsonNode deploymentStatus = assertFailure(api.post("/apis/apps/v1/namespaces/" + ns + "/deployments",
                deployment), 422, "Invalid");
        JsonNode podStatus = assertFailure(api.post("/api/v1/namespaces/" + ns + "/pods", pod), 422, "Invalid");

        assertThat(deploymentStatus.path("message").asText()).startsWith("Deployment.apps \"web\" is invalid: ")
                .contains("spec.selector: Required value").contains("spec.template.spec.containers: Required value");
        assertThat(deploymentStatus.path("details").path("group").asText()).isEqualTo("apps");
        assertThat(causes(deploymentStatus)).contains("spec.selector FieldValueRequired",
                "spec.template.spec.containers FieldValueRequired");
        assertThat(podStatus.path("message").asText()).contains("metadata.name: Required value")
                .contains("spec.containers[0].image: Required value");
        assertThat(causes(podStatus)).contains("metadata.name FieldValueRequired",
                "spec.containers[0].image FieldValueRequired");
        assertThat(api.get("/apis/apps/v1/namespaces/" + ns + "/deployments").expect(200).json().path("items"))
                .isEmpty();
        assertThat(api.get("/api/v1/namespaces/" + ns + "/pods").expect(200).json().path("items")).isEmpty();
    }

    @Test
    void anUpdateFromAStaleResourceVersionConflicts() {
        String ns = cluster.newNamespace("stale-rv");
        JsonNode created = api.post(configMaps(ns), configMap("settings", "mode", "fast")).expect(201).json();
        ObjectNode update = configMap("settings", "mode", "slow");
        ((ObjectNode) update.path("metadata")).put("resourceVersion", created.path("metadata")
                .path("resourceVersion").asText());
        JsonNode current = api.put(configMaps(ns) + "/settings", update).expect(200).json();
        ObjectNode stale = configMap("settings", "mode", "lost");
        ((ObjectNode) stale.path("metadata")).put("resourceVersion", created.path("metadata")
                .path("resourceVersion").asText());

        JsonNode status = assertFailure(api.put(configMaps(ns) + "/settings", stale), 409, "Conflict");

        assertThat(status.path("message").asText()).isEqualTo("Operation cannot be fulfilled on configmaps "
                + "\"settings\": the object has been modified; please apply your changes to the latest version "
                + "and try again");
        assertThat(status.path("details").path("name").asText()).isEqualTo("settings");
        assertThat(status.path("details").path("kind").asText()).isEqualTo("configmaps");
        assertThat(api.get(configMaps(ns) + "/settings").expect(200).json()).isEqualTo(current);
    }

    @Test
    void aDeletionWithAStalePreconditionConflicts() {
        String ns = cluster.newNamespace("stale-delete");
        JsonNode created = api.post(configMaps(ns), configMap("settings")).expect(201).json();
        api.patch(configMaps(ns) + "/settings", ApiClient.MERGE_PATCH, "{\"data\":{\"changed\":\"yes\"}}")
                .expect(200);
        ObjectNode options = JSON.createObjectNode().put("kind", "DeleteOptions").put("apiVersion", "v1");
        options.putObject("preconditions").put("resourceVersion",
                created.path("metadata").path("resourceVersion").asText());

        JsonNode status = assertFailure(api.send("DELETE", configMaps(ns) + "/settings", ApiClient.JSON,
                options.toString().getBytes(StandardCharsets.UTF_8)), 409, "Conflict");

        assertThat(status.path("message").asText()).contains("configmaps \"settings\"")
                .contains("Precondition failed");
        api.get(configMaps(ns) + "/settings").expect(200);
    }

    @Test
    void aConfigMapOverOneMebibyteIsInvalid() {
        String ns = cluster.newNamespace("too-big");
        ObjectNode big = configMap("big", "blob", RandomData.text(MIB + 1));

        JsonNode status = assertFailure(api.post(configMaps(ns), big), 422, "Invalid");

        assertThat(status.path("message").asText()).isEqualTo("ConfigMap \"big\" is invalid: []: Too long: "
                + "must have at most 1048576 bytes");
        assertThat(causes(status)).containsExactly("[] FieldValueTooLong");
        assertNoConfigMaps(ns);
    }

    @Test
    void anUpdateOverOneMebibyteIsInvalidAndKeepsTheObject() {
        String ns = cluster.newNamespace("too-big-update");
        JsonNode created = api.post(configMaps(ns), configMap("settings", "mode", "fast")).expect(201).json();

        assertFailure(api.put(configMaps(ns) + "/settings", configMap("settings", "blob", RandomData.text(MIB + 1))),
                422, "Invalid");

        assertThat(api.get(configMaps(ns) + "/settings").expect(200).json()).isEqualTo(created);
    }

    @Test
    void aBodyOverThreeMebibytesIsTooLarge() {
        String ns = cluster.newNamespace("body-too-big");
        byte[] body = configMap("huge", "blob", RandomData.text(3 * MIB)).toString().getBytes(StandardCharsets.UTF_8);

        JsonNode status = assertFailure(api.send("POST", configMaps(ns), ApiClient.JSON, body), 413,
                "RequestEntityTooLarge");

        assertThat(status.path("message").asText()).contains("3145728");
        assertNoConfigMaps(ns);
    }

    @Test
    void creatingInANamespaceThatDoesNotExistIsNotFound() {
        String ns = "no-such-namespace-" + System.nanoTime();

        JsonNode status = assertFailure(api.post(configMaps(ns), configMap("settings")), 404, "NotFound");

        assertThat(status.path("message").asText()).isEqualTo("namespaces \"" + ns + "\" not found");
        assertThat(status.path("details").path("name").asText()).isEqualTo(ns);
        assertThat(status.path("details").path("kind").asText()).isEqualTo("namespaces");
        assertNoConfigMaps(ns);
        assertFailure(api.get("/api/v1/namespaces/" + ns), 404, "NotFound");
    }

    @Test
    void aBodyInAnUnsupportedMediaTypeIsRefused() {
        String ns = cluster.newNamespace("text-plain");
        byte[] body = configMap("settings").toString().getBytes(StandardCharsets.UTF_8);

        JsonNode create = assertFailure(api.send("POST", configMaps(ns), "text/plain", body), 415,
                "UnsupportedMediaType");
        api.post(configMaps(ns), configMap("settings")).expect(201);
        JsonNode patch = assertFailure(api.patch(configMaps(ns) + "/settings", "text/plain",
                "{\"data\":{\"a\":\"b\"}}"), 415, "UnsupportedMediaType");

        assertThat(create.path("message").asText()).contains("text/plain").contains("application/json");
        assertThat(patch.path("message").asText()).contains("text/plain").contains("application/merge-patch+json");
        assertThat(NamespaceDefaults.own(api.get(configMaps(ns)).expect(200).json().path("items"))).hasSize(1);
        assertThat(api.get(configMaps(ns) + "/settings").expect(200).json().has("data")).isFalse();
    }

    private void assertNoConfigMaps(String ns) {
        JsonNode list = api.get(configMaps(ns)).expect(200).json();
        assertThat(list.path("kind").asText()).isEqualTo("ConfigMapList");
        assertThat(NamespaceDefaults.own(list.path("items"))).isEmpty();
    }

    private static String configMaps(String ns) {
        return "/api/v1/namespaces/" + ns + "/configmaps";
    }

    private static ObjectNode configMap(String name, String... keysAndValues) {
        ObjectNode configMap = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", name);
        if (keysAndValues.length > 0) {
            ObjectNode data = configMap.putObject("data");
            for (int i = 0; i < keysAndValues.length; i += 2) {
                data.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return configMap;
    }
}
