package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Kubernetes REST semantics of the generic registry, through the API server's router. */
class ResourceRestTest {
    private static final String CM = "/api/v1/namespaces/default/configmaps";
    private static final String DEPLOY = "/apis/apps/v1/namespaces/default/deployments";
    private final TestApi api = new TestApi();

    @Test
    void createSetsServerFieldsAndGetReturnsTheStoredObject() {
        TestApi.Answer created = api.call("POST", CM, TestApi.configMap("a", "1"));

        assertThat(created.status()).isEqualTo(201);
        JsonNode metadata = created.body().path("metadata");
        assertThat(metadata.path("uid").asText()).hasSize(36);
        assertThat(metadata.path("creationTimestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(metadata.path("resourceVersion").asText()).isNotEmpty();
        assertThat(metadata.path("managedFields").get(0).path("operation").asText()).isEqualTo("Update");
        assertThat(api.call("GET", CM + "/a", null).body()).isEqualTo(created.body());
    }

    @Test
    void generateNameMakesAUniqueName() {
        String body = "{\"metadata\":{\"generateName\":\"web-\"},\"data\":{}}";
        String first = api.call("POST", CM, body).body().at("/metadata/name").asText();
        String second = api.call("POST", CM, body).body().at("/metadata/name").asText();

        assertThat(first).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void updateWithAStaleResourceVersionIsAConflictAndChangesNothing() {
        JsonNode created = api.call("POST", CM, TestApi.configMap("a", "1")).body();
        api.call("PUT", CM + "/a", TestApi.configMap("a", "2"));

        ((com.fasterxml.jackson.databind.node.ObjectNode) created.path("data")).put("key", "3");
        TestApi.Answer stale = api.call("PUT", CM + "/a", created.toString());

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.body().path("reason").asText()).isEqualTo("Conflict");
        assertThat(stale.body().path("message").asText()).contains("configmaps \"a\"", "has been modified");
        assertThat(api.call("GET", CM + "/a", null).body().at("/data/key").asText()).isEqualTo("2");
    }

    @Test
    void anUpdateThatChangesNothingKeepsTheResourceVersion() {
        String rv = api.call("POST", CM, TestApi.configMap("a", "1")).body().at("/metadata/resourceVersion").asText();

        TestApi.Answer again = api.call("PUT", CM + "/a", TestApi.configMap("a", "1"));

        assertThat(again.body().at("/metadata/resourceVersion").asText()).isEqualTo(rv);
    }

    @Test
    void generationCountsSpecChangesOnlyAndStatusIsItsOwnSubresource() {
        api.call("POST", DEPLOY, TestApi.deployment("web", 1));
        JsonNode afterSpec = api.call("PATCH", DEPLOY + "/web", "{\"spec\":{\"replicas\":3}}",
                "application/merge-patch+json", Map.of()).body();
        JsonNode afterLabel = api.call("PATCH", DEPLOY + "/web", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}",
                "application/merge-patch+json", Map.of()).body();
        JsonNode statusIgnoredOnMain = api.call("PATCH", DEPLOY + "/web", "{\"status\":{\"replicas\":7}}",
                "application/merge-patch+json", Map.of()).body();
        JsonNode viaStatus = api.call("PATCH", DEPLOY + "/web/status",
                "{\"status\":{\"replicas\":7},\"spec\":{\"replicas\":9}}", "application/merge-patch+json", Map.of()).body();

        assertThat(afterSpec.at("/metadata/generation").asLong()).isEqualTo(2);
        assertThat(afterLabel.at("/metadata/generation").asLong()).isEqualTo(2);
        assertThat(statusIgnoredOnMain.at("/status/replicas").isMissingNode()).isTrue();
        assertThat(viaStatus.at("/status/replicas").asLong()).isEqualTo(7);
        assertThat(viaStatus.at("/spec/replicas").asLong()).isEqualTo(3);
    }

    @Test
    void defaultsThatKubectlUsersRelyOnAreFilled() {
        JsonNode deployment = api.call("POST", DEPLOY, TestApi.deployment("web", 2)).body();
        JsonNode pod = deployment.at("/spec/template/spec");

        assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxSurge").asText()).isEqualTo("25%");
        assertThat(deployment.at("/spec/revisionHistoryLimit").asLong()).isEqualTo(10);
        assertThat(deployment.at("/spec/progressDeadlineSeconds").asLong()).isEqualTo(600);
        assertThat(pod.path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(pod.path("dnsPolicy").asText()).isEqualTo("ClusterFirst");
        assertThat(pod.at("/containers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(pod.at("/containers/0/ports/0/protocol").asText()).isEqualTo("TCP");
    }

    @Test
    void scaleSubresourceReadsAndWritesReplicas() {
        api.call("POST", DEPLOY, TestApi.deployment("web", 2));

        JsonNode scale = api.call("GET", DEPLOY + "/web/scale", null).body();
        JsonNode patched = api.call("PATCH", DEPLOY + "/web/scale", "{\"spec\":{\"replicas\":5}}",
                "application/merge-patch+json", Map.of()).body();

        assertThat(scale.path("kind").asText()).isEqualTo("Scale");
        assertThat(scale.at("/status/selector").asText()).isEqualTo("app=web");
        assertThat(patched.at("/spec/replicas").asLong()).isEqualTo(5);
        assertThat(patched.has("__workload")).isFalse();
        assertThat(api.call("GET", DEPLOY + "/web", null).body().at("/spec/replicas").asLong()).isEqualTo(5);
    }

    @Test
    void bindingAssignsAPodOnce() {
        api.call("POST", "/api/v1/namespaces/default/pods",
                "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
        String binding = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},"
                + "\"target\":{\"kind\":\"Node\",\"name\":\"%s\"}}";

        TestApi.Answer first = api.call("POST", "/api/v1/namespaces/default/pods/p/binding", binding.formatted("n1"));
        TestApi.Answer second = api.call("POST", "/api/v1/namespaces/default/pods/p/binding", binding.formatted("n2"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(409);
        JsonNode pod = api.call("GET", "/api/v1/namespaces/default/pods/p", null).body();
        assertThat(pod.at("/spec/nodeName").asText()).isEqualTo("n1");
        assertThat(pod.at("/status/conditions/0/type").asText()).isEqualTo("PodScheduled");
    }

    @Test
    void deleteWithFinalizersMarksAndRemovingTheLastFinalizerDeletes() {
        api.call("POST", CM, "{\"metadata\":{\"name\":\"f\",\"finalizers\":[\"example.com/keep\"]}}");

        TestApi.Answer marked = api.call("DELETE", CM + "/f", null);
        assertThat(marked.status()).isEqualTo(202);
        assertThat(marked.body().at("/metadata/deletionTimestamp").asText()).isNotEmpty();

        api.call("PATCH", CM + "/f", "{\"metadata\":{\"finalizers\":null}}", "application/merge-patch+json", Map.of());
        assertThat(api.call("GET", CM + "/f", null).status()).isEqualTo(404);
    }

    @Test
    void foregroundAndOrphanPropagationAddTheirFinalizers() {
        api.call("POST", DEPLOY, TestApi.deployment("fg", 1));
        api.call("POST", DEPLOY, TestApi.deployment("or", 1));

        JsonNode foreground = api.call("DELETE", DEPLOY + "/fg?propagationPolicy=Foreground", null).body();
        JsonNode orphan = api.call("DELETE", DEPLOY + "/or", "{\"propagationPolicy\":\"Orphan\"}").body();

        assertThat(foreground.at("/metadata/finalizers/0").asText()).isEqualTo("foregroundDeletion");
        assertThat(orphan.at("/metadata/finalizers/0").asText()).isEqualTo("orphan");
    }

    @Test
    void listsFilterByLabelAndFieldSelectorsAndPaginate() {
        for (int i = 0; i < 5; i++) {
            api.call("POST", CM, TestApi.configMap("cm" + i, "v"));
        }
        api.call("POST", CM, "{\"metadata\":{\"name\":\"other\",\"labels\":{\"app\":\"else\"}}}");

        JsonNode byLabel = api.call("GET", CM + "?labelSelector=app%3Ddemo", null).body();
        JsonNode byField = api.call("GET", CM + "?fieldSelector=metadata.name%3Dcm3", null).body();
        JsonNode page = api.call("GET", CM + "?labelSelector=app%3Ddemo&limit=2", null).body();
        JsonNode next = api.call("GET", CM + "?labelSelector=app%3Ddemo&limit=2&continue="
                + page.at("/metadata/continue").asText(), null).body();

        assertThat(byLabel.path("items")).hasSize(5);
        assertThat(byLabel.path("kind").asText()).isEqualTo("ConfigMapList");
        assertThat(byField.path("items")).hasSize(1);
        assertThat(page.path("items")).hasSize(2);
        assertThat(next.at("/items/0/metadata/name").asText()).isEqualTo("cm2");
        assertThat(next.at("/metadata/resourceVersion")).isEqualTo(page.at("/metadata/resourceVersion"));
    }

    @Test
    void kubectlGetReceivesATable() {
        api.call("POST", DEPLOY, TestApi.deployment("web", 2));

        JsonNode table = api.call("GET", DEPLOY, null, null, Map.of("Accept",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")).body();

        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("columnDefinitions").findValuesAsText("name"))
                .startsWith("Name", "Ready", "Up-to-date", "Available");
        assertThat(table.at("/rows/0/cells/0").asText()).isEqualTo("web");
        assertThat(table.at("/rows/0/cells/1").asText()).isEqualTo("0/2");
        assertThat(table.at("/rows/0/object/kind").asText()).isEqualTo("PartialObjectMetadata");
    }

    @Test
    void eventsAreServedInBothGroups() {
        api.call("POST", "/api/v1/namespaces/default/events", """
                {"metadata":{"name":"e1"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"Pulled",
                 "message":"pulled the image","type":"Normal"}""");

        JsonNode modern = api.call("GET", "/apis/events.k8s.io/v1/namespaces/default/events/e1", null).body();

        assertThat(modern.path("apiVersion").asText()).isEqualTo("events.k8s.io/v1");
        assertThat(modern.path("note").asText()).isEqualTo("pulled the image");
        assertThat(modern.at("/regarding/name").asText()).isEqualTo("p");
    }

    @Test
    void secretStringDataIsMergedIntoData() {
        JsonNode secret = api.call("POST", "/api/v1/namespaces/default/secrets",
                "{\"metadata\":{\"name\":\"s\"},\"stringData\":{\"password\":\"hunter2\"}}").body();

        assertThat(secret.path("type").asText()).isEqualTo("Opaque");
        assertThat(secret.at("/data/password").asText()).isEqualTo("aHVudGVyMg==");
        assertThat(secret.has("stringData")).isFalse();
    }

    @Test
    void servicesGetAClusterIpAndNodePortsThatAreReleasedOnDelete() {
        String svc = "/api/v1/namespaces/default/services";
        String nodePort = "{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"type\":\"NodePort\",\"clusterIP\":\"%s\","
                + "\"ports\":[{\"port\":80%s}]}}";

        JsonNode first = api.call("POST", svc, nodePort.formatted("a", "", "")).body();
        String ip = first.at("/spec/clusterIP").asText();
        int port = first.at("/spec/ports/0/nodePort").asInt();
        TestApi.Answer sameIp = api.call("POST", svc, nodePort.formatted("b", ip, ""));
        TestApi.Answer samePort = api.call("POST", svc, nodePort.formatted("c", "", ",\"nodePort\":" + port));
        api.call("DELETE", svc + "/a", null);
        TestApi.Answer reused = api.call("POST", svc, nodePort.formatted("d", ip, ",\"nodePort\":" + port));

        assertThat(ip).startsWith("10.").isNotEqualTo("10.96.0.1");
        assertThat(first.at("/spec/clusterIPs/0").asText()).isEqualTo(ip);
        assertThat(port).isBetween(30000, 32767);
        assertThat(sameIp.status()).isEqualTo(422);
        assertThat(sameIp.body().path("message").asText()).contains("provided IP is already allocated");
        assertThat(samePort.status()).isEqualTo(422);
        assertThat(samePort.body().path("message").asText()).contains("provided port is already allocated");
        assertThat(api.call("GET", svc + "/c", null).status()).isEqualTo(404);
        assertThat(reused.status()).as(reused.text()).isEqualTo(201);
    }

    @Test
    void theKubernetesServiceExistsOnTheFirstServiceAddress() {
        JsonNode service = api.call("GET", "/api/v1/namespaces/default/services/kubernetes", null).body();

        assertThat(service.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.1");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(443);
    }
}
