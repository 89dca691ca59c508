package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import dev.kumo.apiserver.audit.AuditSinks;
import dev.kumo.apiserver.lambda.SecurityFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the API server writes to its audit log (the local cluster's JSON-lines file). */
class AuditLogTest {
    private static final String USER_TOKEN = "audit-test-user-token";
    private static final String MICRO_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

    @TempDir
    Path dir;

    @Test
    void aWriteIsRecordedAsAKubernetesAuditEvent() {
        TestApi api = api();
        Instant before = Instant.now();
        assertThat(api.call("POST", "/api/v1/namespaces/default/configmaps", TestApi.configMap("settings", "v"),
                "application/json", Map.of("User-Agent", "kubectl/v1.32.0 (linux/amd64)")).status()).isEqualTo(201);

        JsonNode event = single(events(), "create");
        assertThat(event.path("kind").asText()).isEqualTo("Event");
        assertThat(event.path("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
        assertThat(event.path("level").asText()).isEqualTo("Metadata");
        assertThat(event.path("auditID").asText()).matches("[0-9a-f-]{36}");
        assertThat(event.path("stage").asText()).isEqualTo("ResponseComplete");
        assertThat(event.path("requestURI").asText()).isEqualTo("/api/v1/namespaces/default/configmaps");
        assertThat(event.path("user").path("username").asText()).isEqualTo("test-admin");
        assertThat(event.path("user").path("uid").asText()).isEqualTo("test-admin");
        assertThat(event.path("user").path("groups")).extracting(JsonNode::asText)
                .containsExactly("system:masters", "system:authenticated");
        assertThat(event.path("userAgent").asText()).isEqualTo("kubectl/v1.32.0 (linux/amd64)");
        assertThat(event.path("objectRef").toString())
                .isEqualTo("{\"resource\":\"configmaps\",\"namespace\":\"default\",\"apiVersion\":\"v1\"}");
        assertThat(event.path("responseStatus").toString()).isEqualTo("{\"metadata\":{},\"code\":201}");
        assertThat(event.path("requestReceivedTimestamp").asText()).matches(MICRO_TIME);
        assertThat(event.path("stageTimestamp").asText()).matches(MICRO_TIME);
        assertThat(Instant.parse(event.path("requestReceivedTimestamp").asText()))
                .isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.MICROS))
                .isBeforeOrEqualTo(Instant.parse(event.path("stageTimestamp").asText()));
        assertThat(fieldNames(event)).containsExactly("kind", "apiVersion", "level", "auditID", "stage", "requestURI",
                "verb", "user", "userAgent", "objectRef", "responseStatus", "requestReceivedTimestamp", "stageTimestamp");
    }

    @Test
    void readsOfSecretsAreRecordedAndReadsOfConfigMapsAreNot() {
        TestApi api = api();
        api.call("POST", "/api/v1/namespaces/default/configmaps", TestApi.configMap("settings", "v"));
        api.call("POST", "/api/v1/namespaces/default/secrets",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\"}}");
        List<JsonNode> afterWrites = events();

        assertThat(api.call("GET", "/api/v1/namespaces/default/configmaps/settings", null).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/v1/namespaces/default/configmaps", null).status()).isEqualTo(200);
        assertThat(events()).hasSameSizeAs(afterWrites);

        assertThat(api.call("GET", "/api/v1/namespaces/default/secrets/db", null).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/v1/namespaces/default/secrets", null).status()).isEqualTo(200);
        List<JsonNode> reads = events().subList(afterWrites.size(), afterWrites.size() + 2);
        assertThat(reads.get(0).path("verb").asText()).isEqualTo("get");
        assertThat(reads.get(0).path("objectRef").toString())
                .isEqualTo("{\"resource\":\"secrets\",\"namespace\":\"default\",\"name\":\"db\",\"apiVersion\":\"v1\"}");
        assertThat(reads.get(1).path("verb").asText()).isEqualTo("list");
    }

    @Test
    void aRequestWithoutValidCredentialsIsRecordedWithAnEmptyUserAnd401() {
        TestApi api = api();
        assertThat(api.call("GET", "/api/v1/namespaces/default/pods", null, null,
                Map.of("Authorization", "Bearer not-a-token")).status()).isEqualTo(401);
        assertThat(api.call("DELETE", "/api/v1/namespaces/default/pods/p", null, null,
                Map.of("Authorization", "")).status()).isEqualTo(401);

        List<JsonNode> events = events();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).path("user").toString()).isEqualTo("{}");
        assertThat(events.get(0).path("stage").asText()).isEqualTo("ResponseStarted");
        assertThat(events.get(0).path("verb").asText()).isEqualTo("list");
        assertThat(events.get(0).path("responseStatus").toString()).isEqualTo(
                "{\"metadata\":{},\"message\":\"Authentication failed, attempted: bearer\",\"code\":401}");
        assertThat(events.get(1).path("responseStatus").path("message").asText())
                .isEqualTo("Authentication failed, no credentials provided");
    }

    @Test
    void aForbiddenRequestIsRecordedWithItsUserAnd403() {
        TestApi api = api();
        assertThat(api.call("GET", "/api/v1/namespaces/default/secrets/db", null, null,
                Map.of("Authorization", "Bearer " + USER_TOKEN)).status()).isEqualTo(403);

        JsonNode event = single(events(), "get");
        assertThat(event.path("user").path("username").asText()).isEqualTo("plain-user");
        assertThat(event.path("responseStatus").path("code").asInt()).isEqualTo(403);
        assertThat(event.path("responseStatus").path("status").asText()).isEqualTo("Failure");
        assertThat(event.path("responseStatus").path("message").asText())
                .startsWith("secrets \"db\" is forbidden: User \"plain-user\" cannot get resource \"secrets\"");
    }

    @Test
    void anAuditLogThatCannotBeWrittenDoesNotFailTheRequest() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        TestApi api = new TestApi(Map.of(AuditSinks.ENV_PATH, notADirectory.resolve("audit.log").toString()),
                ResourceTransformers.NONE);

        assertThat(api.call("POST", "/api/v1/namespaces/default/configmaps", TestApi.configMap("c", "v")).status())
                .isEqualTo(201);
    }

    private TestApi api() {
        try {
            Path tokens = Files.writeString(dir.resolve("tokens.csv"), TestApi.ADMIN_TOKEN
                    + ",test-admin,test-admin,\"system:masters\"\n" + USER_TOKEN + ",plain-user,plain-user-uid\n");
            return new TestApi(Map.of(SecurityFactory.ENV_TOKEN_FILE, tokens.toString(),
                    AuditSinks.ENV_PATH, dir.resolve("audit.log").toString()), ResourceTransformers.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The audit log's events, leaving out those of the server's own bootstrap writes. */
    private List<JsonNode> events() {
        Path log = dir.resolve("audit.log");
        try {
            if (!Files.exists(log)) {
                return List.of();
            }
            return Files.readAllLines(log).stream().map(AuditLogTest::parse)
                    .filter(event -> !event.path("user").path("username").asText().startsWith("system:"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode single(List<JsonNode> events, String verb) {
        List<JsonNode> matching = events.stream().filter(e -> e.path("verb").asText().equals(verb)).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode parse(String line) {
        try {
            return TestApi.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
