package dev.kumo.apiserver.openapi.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apiserver.openapi.OpenApiResources;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The documents the generator makes from the real Kubernetes ones. */
class GeneratedDocumentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GeneratedResources generated;

    @BeforeAll
    static void generate() throws IOException {
        try (KubernetesSpecArchive archive = TestArchive.open()) {
            generated = OpenApiGenerator.generate(archive, ServedApis.ALL, ServedApis.SERVER_ENFORCES_FIELD_VALIDATION);
        }
    }

    @Test
    void isWhatTheBuildPutOnTheClasspath() throws IOException {
        for (Map.Entry<String, byte[]> resource : generated.resources().entrySet()) {
            try (InputStream shipped = getClass().getClassLoader().getResourceAsStream(resource.getKey())) {
                assertThat(shipped).as(resource.getKey()).isNotNull();
                assertThat(shipped.readAllBytes()).as(resource.getKey()).isEqualTo(resource.getValue());
            }
        }
    }

    @Test
    void isTheSameOnEveryRun() throws IOException {
        GeneratedResources again;
        try (KubernetesSpecArchive archive = TestArchive.open()) {
            again = OpenApiGenerator.generate(archive, ServedApis.ALL, ServedApis.SERVER_ENFORCES_FIELD_VALIDATION);
        }
        assertThat(again.resources().keySet()).containsExactlyElementsOf(generated.resources().keySet());
        generated.resources().forEach((name, bytes) -> assertThat(again.resources().get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    void hasADocumentPerServedGroupVersion() {
        assertThat(generated.resources().keySet()).containsExactlyInAnyOrder(
                OpenApiResources.MANIFEST, OpenApiResources.V2_JSON, OpenApiResources.V2_PROTOBUF,
                OpenApiResources.v3Document("api/v1"), OpenApiResources.v3Document("apis/apps/v1"),
                OpenApiResources.v3Document("apis/coordination.k8s.io/v1"),
                OpenApiResources.v3Document("apis/discovery.k8s.io/v1"),
                OpenApiResources.v3Document("apis/events.k8s.io/v1"),
                OpenApiResources.v3Document("apis/rbac.authorization.k8s.io/v1"),
                OpenApiResources.v3Document("apis/authentication.k8s.io/v1"),
                OpenApiResources.v3Document("apis/authorization.k8s.io/v1"));
    }

    @Test
    void everyReferenceResolvesAndEveryDefinitionIsReached() throws IOException {
        assertReferencesClosed(document(OpenApiResources.V2_JSON), List.of("/definitions", "/parameters"));
        for (ServedGroupVersion groupVersion : ServedApis.ALL) {
            assertReferencesClosed(document(OpenApiResources.v3Document(groupVersion.v3Path())), List.of("/components/schemas"));
        }
    }

    @Test
    void keepsServedPathsAndDropsTheRest() throws IOException {
        Set<String> v2Paths = names(document(OpenApiResources.V2_JSON).get("paths"));
        assertThat(v2Paths).contains(
                "/api/v1/",
                "/api/v1/namespaces/{namespace}/pods/{name}",
                "/api/v1/namespaces/{namespace}/pods/{name}/binding",
                "/api/v1/namespaces/{namespace}/pods/{name}/status",
                "/api/v1/watch/namespaces/{namespace}/configmaps",
                "/api/v1/nodes/{name}/status",
                "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale",
                "/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases",
                "/apis/discovery.k8s.io/v1/endpointslices",
                "/apis/events.k8s.io/v1/namespaces/{namespace}/events/{name}");
        assertThat(v2Paths).doesNotContain(
                "/api/v1/namespaces/{namespace}/pods/{name}/exec",
                "/api/v1/namespaces/{namespace}/pods/{name}/log",
                "/api/v1/namespaces/{name}/finalize",
                "/api/v1/nodes/{name}/proxy",
                "/api/v1/namespaces/{namespace}/persistentvolumeclaims",
                "/apis/apps/v1/namespaces/{namespace}/statefulsets",
                "/apis/batch/v1/jobs",
                "/version/");
        for (String path : v2Paths) {
            assertThat(ServedApis.ALL.stream().anyMatch(groupVersion -> groupVersion.serves(path))).as(path).isTrue();
        }

        Set<String> appsPaths = names(document(OpenApiResources.v3Document("apis/apps/v1")).get("paths"));
        assertThat(appsPaths).contains("/apis/apps/v1/namespaces/{namespace}/replicasets/{name}/status")
                .noneMatch(path -> path.contains("daemonsets") || path.contains("controllerrevisions"));
    }

    @Test
    void keepsTheSchemasOfServedKindsOnly() throws IOException {
        Set<String> definitions = names(document(OpenApiResources.V2_JSON).get("definitions"));
        assertThat(definitions).contains("io.k8s.api.core.v1.Pod", "io.k8s.api.apps.v1.Deployment",
                "io.k8s.api.coordination.v1.Lease", "io.k8s.api.discovery.v1.EndpointSlice", "io.k8s.api.events.v1.Event");
        assertThat(definitions).doesNotContain("io.k8s.api.batch.v1.Job", "io.k8s.api.apps.v1.StatefulSet",
                "io.k8s.api.core.v1.PersistentVolume", "io.k8s.api.policy.v1.Eviction");
    }

    @Test
    void advertisesNoFieldValidationWhileTheServerDoesNotEnforceIt() throws IOException {
        assertThat(ServedApis.SERVER_ENFORCES_FIELD_VALIDATION).isFalse();
        for (String name : generated.resources().keySet()) {
            if (name.endsWith(".json") && !name.equals(OpenApiResources.MANIFEST)) {
                List<JsonNode> parameterNames = document(name).findValues("name");
                assertThat(parameterNames).as(name).noneMatch(node -> node.asText().equals("fieldValidation"));
            }
        }
    }

    private static JsonNode document(String resource) throws IOException {
        return JSON.readTree(generated.resources().get(resource));
    }

    private static void assertReferencesClosed(JsonNode document, List<String> containers) {
        Set<String> reachable = JsonReferences.reachable(document, document.get("paths"));
        Set<String> referenced = new HashSet<>();
        collectReferences(document, referenced);
        for (String ref : referenced) {
            assertThat(JsonReferences.resolve(document, ref).isMissingNode()).as(ref).isFalse();
        }
        for (String container : containers) {
            JsonNode entries = document.at(container);
            for (String name : names(entries)) {
                assertThat(reachable).as("reachable from the paths").contains(JsonReferences.to(container, name));
            }
        }
    }

    private static void collectReferences(JsonNode node, Set<String> refs) {
        JsonReferences.of(node).ifPresent(refs::add);
        node.elements().forEachRemaining(child -> collectReferences(child, refs));
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
