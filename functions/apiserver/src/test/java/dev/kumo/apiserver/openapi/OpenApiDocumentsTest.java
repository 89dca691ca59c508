package dev.kumo.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiDocumentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OpenApiDocuments documents = OpenApiDocuments.load();

    @Test
    void loadsOncePerProcess() {
        assertThat(OpenApiDocuments.load()).isSameAs(documents);
    }

    @Test
    void servesADocumentPerServedGroupVersion() {
        assertThat(documents.v3Paths()).containsExactly("api/v1", "apis/apps/v1", "apis/authentication.k8s.io/v1",
                "apis/authorization.k8s.io/v1", "apis/coordination.k8s.io/v1", "apis/discovery.k8s.io/v1",
                "apis/events.k8s.io/v1", "apis/rbac.authorization.k8s.io/v1");
        assertThat(documents.v3Document("apis/batch/v1")).isEmpty();
        assertThat(documents.hash("apis/batch/v1")).isEmpty();
    }

    @Test
    void hashesAreUppercaseSha512OfTheServedBytes() {
        for (String path : documents.v3Paths()) {
            byte[] served = documents.v3Document(path).orElseThrow();
            assertThat(documents.hash(path)).contains(OpenApiHash.of(served));
            assertThat(documents.hash(path).orElseThrow()).matches("[0-9A-F]{128}");
        }
        assertThat(documents.v2Hash()).isEqualTo(OpenApiHash.of(documents.v2Json()));
        assertThat(documents.v3IndexHash()).isEqualTo(OpenApiHash.of(documents.v3Index()));
    }

    @Test
    void indexPointsAtEachDocumentWithItsHash() throws Exception {
        JsonNode paths = JSON.readTree(documents.v3Index()).get("paths");
        assertThat(paths.size()).isEqualTo(documents.v3Paths().size());
        for (String path : documents.v3Paths()) {
            assertThat(paths.get(path).get("serverRelativeURL").asText())
                    .isEqualTo("/openapi/v3/" + path + "?hash=" + documents.hash(path).orElseThrow());
        }
    }

    @Test
    void documentsAreTheirKindOfOpenApi() throws Exception {
        assertThat(JSON.readTree(documents.v2Json()).get("swagger").asText()).isEqualTo("2.0");
        assertThat(JSON.readTree(documents.v3Document("apis/apps/v1").orElseThrow()).get("openapi").asText()).isEqualTo("3.0.0");
        assertThat(documents.v2Protobuf()).isNotEmpty();
    }

    @Test
    void handsOutCopies() {
        byte[] first = documents.v2Protobuf();
        first[0] ^= 1;
        assertThat(documents.v2Protobuf()[0]).isNotEqualTo(first[0]);
    }

    @Test
    void schemasCarryTheMergeHintsOfServerSideApply() {
        Map<String, JsonNode> apps = documents.schemasFor("apps", "v1").orElseThrow();
        JsonNode containers = apps.get("io.k8s.api.core.v1.PodSpec").get("properties").get("containers");
        assertThat(containers.get("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(containers.get("x-kubernetes-list-type").asText()).isEqualTo("map");
        assertThat(apps.get("io.k8s.api.apps.v1.Deployment").get("x-kubernetes-group-version-kind").get(0).get("kind").asText())
                .isEqualTo("Deployment");
        assertThat(apps).doesNotContainKey("io.k8s.api.apps.v1.StatefulSet");

        Map<String, JsonNode> core = documents.schemasFor("", "v1").orElseThrow();
        assertThat(core).containsKeys("io.k8s.api.core.v1.Pod", "io.k8s.api.core.v1.Namespace", "io.k8s.api.core.v1.Binding");
        assertThat(documents.schemasFor("batch", "v1")).isEmpty();
    }
}
