package dev.kumo.apiserver.rest;

import dev.kumo.apimachinery.store.encryption.EnvelopeTransformer;
import dev.kumo.apimachinery.store.encryption.LocalKeyFile;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import dev.kumo.apimachinery.store.encryption.StorageEncryption;
import dev.kumo.apimachinery.store.testing.RawStoreScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Secrets created through the API are ciphertext in DynamoDB (objects, log, stream) and plain to API clients. */
class SecretsAtRestTest {
    private static final String PASSWORD = "api-level-secret-value-0e8c1b";
    private static final String STRING_DATA = "string-data-value-4f2a77";

    @TempDir
    Path dir;

    @Test
    void aSecretCreatedAndUpdatedThroughTheApiNeverReachesTheTablesInPlaintext() {
        TestApi api = new TestApi(Map.of(), transformers(LocalKeyFile.loadOrCreate(dir.resolve("encryption.key"))));
        String encoded = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));

        TestApi.Answer created = api.call("POST", "/api/v1/namespaces/default/secrets", """
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"data":{"password":"%s"}}""".formatted(encoded));
        assertThat(created.status()).isEqualTo(201);
        TestApi.Answer patched = api.call("PATCH", "/api/v1/namespaces/default/secrets/db",
                "{\"stringData\":{\"extra\":\"" + STRING_DATA + "\"}}", "application/merge-patch+json", Map.of());
        assertThat(patched.status()).isEqualTo(200);

        RawStoreScan scan = RawStoreScan.of(TestApi.dynamo(), api.tables);
        assertThat(scan.occurrences(PASSWORD)).isEmpty();
        assertThat(scan.occurrences(STRING_DATA)).isEmpty();

        TestApi.Answer read = api.call("GET", "/api/v1/namespaces/default/secrets/db", null);
        assertThat(read.body().at("/data/password").asText()).isEqualTo(encoded);
        assertThat(new String(Base64.getDecoder().decode(read.body().at("/data/extra").asText()), StandardCharsets.UTF_8))
                .isEqualTo(STRING_DATA);
    }

    @Test
    void withoutEncryptionTheSameScanFindsTheSecret() {
        // The control: the scan above would see a plaintext secret.
        TestApi api = new TestApi();
        api.call("POST", "/api/v1/namespaces/default/secrets", """
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"stringData":{"password":"%s"}}"""
                .formatted(PASSWORD));

        assertThat(RawStoreScan.of(TestApi.dynamo(), api.tables).occurrences(PASSWORD)).isNotEmpty();
    }

    @Test
    void aSecretThatDoesNotDecryptIsAnInternalErrorThatSaysWhy() {
        TestApi api = new TestApi(Map.of(), transformers(LocalKeyFile.loadOrCreate(dir.resolve("encryption.key"))));
        for (String name : List.of("a", "b")) {
            api.call("POST", "/api/v1/namespaces/default/secrets", """
                    {"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s"},"stringData":{"password":"%s"}}"""
                    .formatted(name, PASSWORD));
        }
        // Someone with write access to the table copies a's ciphertext into b's item: it must not decrypt as b.
        Map<String, AttributeValue> a = item(api, "default/a");
        Map<String, AttributeValue> b = new HashMap<>(item(api, "default/b"));
        b.put("v", a.get("v"));
        TestApi.dynamo().putItem(r -> r.tableName(api.tables.objects()).item(b));

        TestApi.Answer read = api.call("GET", "/api/v1/namespaces/default/secrets/b", null);
        assertThat(read.status()).isEqualTo(500);
        assertThat(read.body().path("reason").asText()).isEqualTo("InternalError");
        assertThat(read.body().path("message").asText()).isEqualTo("Internal error occurred: unable to transform key \"secrets/default/b\": "
                + "the value does not decrypt for secrets/default/b: it was altered, or copied from another object");
        assertThat(read.text()).doesNotContain(PASSWORD);
    }

    private static Map<String, AttributeValue> item(TestApi api, String key) {
        return TestApi.dynamo().getItem(r -> r.tableName(api.tables.objects())
                .key(Map.of("r", AttributeValue.fromS("secrets"), "k", AttributeValue.fromS(key)))).item();
    }

    private static ResourceTransformers transformers(LocalKeyFile key) {
        return new ResourceTransformers(Set.of("secrets"),
                List.of(new EnvelopeTransformer(StorageEncryption.LOCAL_PROVIDER, key)));
    }
}
