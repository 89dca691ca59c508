package dev.kumo.e2e.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.e2e.support.ApiClient;
import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.Manifests;
import dev.kumo.e2e.support.NamespaceDefaults;
import dev.kumo.e2e.support.RandomData;
import dev.kumo.e2e.support.SharedCluster;
import dev.kumo.e2e.support.WatchConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Objects near the 1 MiB limit, of random (incompressible) data: far larger than a DynamoDB item (400 KB), so
 * the store splits them. Every way of reading them back (GET, LIST, WATCH, kubectl) gives the same bytes.
 */
@ExtendWith(SharedCluster.class)
class LargeObjectTest {
    /** Just under the 1 MiB a ConfigMap's or Secret's data may hold. */
    private static final int SIZE = 1024 * 1024 - 1024;
    private static final Duration EVENT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KumoCluster cluster;
    private final ApiClient api;

    LargeObjectTest(KumoCluster cluster) {
        this.cluster = cluster;
        this.api = cluster.api();
    }

    @Test
    void aConfigMapOfOneMebibyteReadsBackIdenticalEveryWay() {
        String ns = cluster.newNamespace("large-cm");
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        String blob = RandomData.text(SIZE);
        String replacement = RandomData.text(SIZE);
        String listedAt = api.get(path).expect(200).json().path("metadata").path("resourceVersion").asText();

        try (WatchConnection watch = api.watch(path + "?watch=true&resourceVersion=" + listedAt)) {
            JsonNode created = api.post(path, configMap("big", blob)).expect(201).json();
            JsonNode added = watch.next(EVENT);
            JsonNode replaced = api.put(path + "/big", configMap("big", replacement)).expect(200).json();
            JsonNode modified = watch.next(EVENT);
            api.delete(path + "/big").expect(200);
            JsonNode deleted = watch.next(EVENT);

            assertSameText("the created object", blob, created.path("data").path("blob").asText());
            assertThat(added.path("type").asText()).isEqualTo("ADDED");
            assertSameText("the ADDED event", blob, added.path("object").path("data").path("blob").asText());
            assertSameText("the updated object", replacement, replaced.path("data").path("blob").asText());
            assertThat(modified.path("type").asText()).isEqualTo("MODIFIED");
            assertSameText("the MODIFIED event", replacement,
                    modified.path("object").path("data").path("blob").asText());
            assertThat(deleted.path("type").asText()).isEqualTo("DELETED");
            assertSameText("the DELETED event", replacement, deleted.path("object").path("data").path("blob").asText());
        }
    }

    @Test
    void aConfigMapOfOneMebibyteReadsBackIdenticalWithGetAndList() {
        String ns = cluster.newNamespace("large-cm-read");
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        String blob = RandomData.text(SIZE);
        api.post(path, configMap("big", blob)).expect(201);
        api.post(path, configMap("small", "tiny")).expect(201);

        JsonNode got = api.get(path + "/big").expect(200).json();
        JsonNode listed = api.get(path).expect(200).json();
        JsonNode page = api.get(path + "?limit=1").expect(200).json();

        assertSameText("GET", blob, got.path("data").path("blob").asText());
        assertThat(NamespaceDefaults.own(listed.path("items"))).hasSize(2);
        assertSameText("LIST", blob, itemNamed(listed, "big").path("data").path("blob").asText());
        assertThat(page.path("items")).hasSize(1);
        assertThat(page.path("metadata").path("continue").asText()).isNotEmpty();
    }

    @Test
    void aSecretOfOneMebibyteOfRandomBytesReadsBackIdentical() {
        String ns = cluster.newNamespace("large-secret");
        String path = "/api/v1/namespaces/" + ns + "/secrets";
        byte[] bytes = RandomData.bytes(SIZE);
        ObjectNode secret = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
        secret.putObject("metadata").put("name", "big");
        secret.putObject("data").put("key.bin", Base64.getEncoder().encodeToString(bytes));
        String listedAt = api.get(path).expect(200).json().path("metadata").path("resourceVersion").asText();

        try (WatchConnection watch = api.watch(path + "?watch=true&resourceVersion=" + listedAt)) {
            api.post(path, secret).expect(201);

            assertThat(decoded(watch.next(EVENT).path("object"))).as("the ADDED event").isEqualTo(bytes);
        }
        assertThat(decoded(api.get(path + "/big").expect(200).json())).as("GET").isEqualTo(bytes);
        assertThat(decoded(itemNamed(api.get(path).expect(200).json(), "big"))).as("LIST").isEqualTo(bytes);
        assertThat(api.get(path + "/big").json().path("type").asText()).isEqualTo("Opaque");
    }

    @ForEachKubectl
    void aLargeConfigMapCreatedByKubectlReadsBackIdentical(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("large-kubectl-" + version);
        String blob = RandomData.text(SIZE);
        Path manifest = cluster.writeFile(ns + ".yaml", Manifests.configMap(ns, "big", Map.of(), Map.of("blob", blob)));

        kubectl.run("create", "-f", manifest.toString()).ok();

        JsonNode read = JSON.readTree(kubectl.run("get", "configmap", "big", "-n", ns, "-o", "json").ok().out());
        assertSameText("kubectl get", blob, read.path("data").path("blob").asText());
        assertSameText("GET", blob, api.get("/api/v1/namespaces/" + ns + "/configmaps/big").expect(200).json()
                .path("data").path("blob").asText());
    }

    /** Client-side apply keeps the whole object in an annotation, and annotations are limited to 256 KiB. */
    @ForEachKubectl
    void aLargeConfigMapCannotBeAppliedClientSide(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("large-apply-" + version);
        Path manifest = cluster.writeFile(ns + ".yaml", Manifests.configMap(ns, "big", Map.of(),
                Map.of("blob", RandomData.text(SIZE))));

        Kubectl.Result result = kubectl.run("apply", "-f", manifest.toString()).failed();

        assertThat(result.err()).contains("The ConfigMap \"big\" is invalid: metadata.annotations: Too long: "
                + "must have at most 262144 bytes");
        api.get("/api/v1/namespaces/" + ns + "/configmaps/big").expect(404);
    }

    @Tag("server-side-apply")
    @ForEachKubectl
    void aLargeConfigMapAppliedServerSideReadsBackIdentical(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("large-ssa-" + version);
        String blob = RandomData.text(SIZE);
        Path manifest = cluster.writeFile(ns + ".yaml", Manifests.configMap(ns, "big", Map.of(), Map.of("blob", blob)));

        kubectl.run("apply", "--server-side", "-f", manifest.toString()).ok();

        JsonNode read = JSON.readTree(kubectl.run("get", "configmap", "big", "-n", ns, "-o", "json").ok().out());
        assertSameText("kubectl get", blob, read.path("data").path("blob").asText());
    }

    private static JsonNode itemNamed(JsonNode list, String name) {
        for (JsonNode item : list.path("items")) {
            if (item.path("metadata").path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no item " + name + " in the list");
    }

    private static byte[] decoded(JsonNode secret) {
        return Base64.getDecoder().decode(secret.path("data").path("key.bin").asText());
    }

    /** Compares megabytes of text without printing them: lengths and the first difference. */
    private static void assertSameText(String where, String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        int first = 0;
        while (first < Math.min(expected.length(), actual.length()) && expected.charAt(first) == actual.charAt(first)) {
            first++;
        }
        throw new AssertionError(where + ": expected " + expected.length() + " characters, got " + actual.length()
                + ", first difference at index " + first);
    }

    private static ObjectNode configMap(String name, String blob) {
        ObjectNode configMap = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", name);
        configMap.putObject("data").put("blob", blob);
        return configMap;
    }
}
