package dev.kumo.apiserver.openapi.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apiserver.openapi.OpenApiDocuments;
import dev.kumo.apiserver.openapi.build.gnostic.SwaggerProtobuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The v2 protobuf, read back field by field against gnostic's {@code OpenAPIv2.proto} numbering. */
class SwaggerProtobufTest {
    /** gnostic's own encoding of the full v1.32.0 swagger.json, made once by hand; absent on CI. */
    private static final Path GNOSTIC_ORACLE = Path.of("/tmp/openapi-research/swagger-v1.32.0.pb");

    private final OpenApiDocuments documents = OpenApiDocuments.load();

    @Test
    void encodesTheFullKubernetesDocumentExactlyAsGnosticDoes() throws IOException {
        assumeTrue(Files.isRegularFile(GNOSTIC_ORACLE), "no gnostic-made protobuf at " + GNOSTIC_ORACLE);
        JsonNode fullSwagger;
        try (KubernetesSpecArchive archive = TestArchive.open()) {
            fullSwagger = archive.swagger();
        }
        assertThat(SwaggerProtobuf.encode(fullSwagger)).isEqualTo(Files.readAllBytes(GNOSTIC_ORACLE));
    }

    @Test
    void servedProtobufHoldsTheServedJsonPathsAndDefinitionsInOrder() throws IOException {
        JsonNode json = new ObjectMapper().readTree(documents.v2Json());
        ProtoMessage document = ProtoMessage.parse(documents.v2Protobuf());

        assertThat(document.string(1)).isEqualTo("2.0");
        assertThat(document.message(2).string(1)).isEqualTo("Kubernetes");
        List<String> paths = document.message(8).messages(2).stream().map(named -> named.string(1)).toList();
        assertThat(paths).containsExactlyElementsOf(names(json.get("paths")));
        List<String> definitions = document.message(9).messages(1).stream().map(named -> named.string(1)).toList();
        assertThat(definitions).containsExactlyElementsOf(names(json.get("definitions")));
    }

    @Test
    void operationsCarryTheirKubernetesExtensionsAsYaml() {
        ProtoMessage podItem = pathItem("/api/v1/namespaces/{namespace}/pods/{name}");
        ProtoMessage get = podItem.message(2);

        assertThat(get.string(5)).isEqualTo("readCoreV1NamespacedPod");
        assertThat(vendorExtension(get, 13, "x-kubernetes-action")).isEqualTo("get\n");
        assertThat(vendorExtension(get, 13, "x-kubernetes-group-version-kind"))
                .isEqualTo("group: \"\"\nkind: Pod\nversion: v1\n");
    }

    @Test
    void schemasCarryDescriptionsTypesAndPatchHints() {
        ProtoMessage podSpec = definition("io.k8s.api.core.v1.PodSpec");
        ProtoMessage containers = property(podSpec, "containers");

        assertThat(containers.string(4)).startsWith("List of containers belonging to the pod.");
        assertThat(containers.message(22).strings(1)).containsExactly("array");
        assertThat(containers.message(23).message(1).string(1)).isEqualTo("#/definitions/io.k8s.api.core.v1.Container");
        assertThat(vendorExtension(containers, 31, "x-kubernetes-patch-merge-key")).isEqualTo("name\n");
        assertThat(vendorExtension(containers, 31, "x-kubernetes-list-map-keys")).isEqualTo("- name\n");
        assertThat(podSpec.strings(19)).containsExactly("containers");
    }

    private ProtoMessage pathItem(String path) {
        return named(ProtoMessage.parse(documents.v2Protobuf()).message(8).messages(2), path);
    }

    private ProtoMessage definition(String name) {
        return named(ProtoMessage.parse(documents.v2Protobuf()).message(9).messages(1), name);
    }

    private static ProtoMessage property(ProtoMessage schema, String name) {
        return named(schema.message(25).messages(1), name);
    }

    /** The YAML of a vendor extension ({@code NamedAny} in field {@code field}; the {@code Any}'s yaml is field 2). */
    private static String vendorExtension(ProtoMessage message, int field, String name) {
        return named(message.messages(field), name).string(2);
    }

    private static ProtoMessage named(List<ProtoMessage> entries, String name) {
        return entries.stream().filter(entry -> entry.string(1).equals(name)).findFirst()
                .map(entry -> entry.message(2))
                .orElseThrow(() -> new AssertionError("no entry " + name));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
