package dev.kumo.apiserver.openapi.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.openapi.OpenApiHash;
import dev.kumo.apiserver.openapi.OpenApiManifest;
import dev.kumo.apiserver.openapi.OpenApiResources;
import dev.kumo.apiserver.openapi.build.gnostic.SwaggerProtobuf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Build step: cuts the official Kubernetes OpenAPI documents down to what kumo serves ({@link ServedApis}) and
 * writes them, with the v2 protobuf and the manifest of hashes, as classpath resources ({@link OpenApiResources}).
 *
 * <p>Usage: {@code OpenApiGenerator <kubernetes module archive.zip> <classes directory>}
 */
public final class OpenApiGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApiGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: OpenApiGenerator <kubernetes module archive.zip> <classes directory>");
        }
        GeneratedResources generated;
        try (KubernetesSpecArchive archive = KubernetesSpecArchive.open(Path.of(args[0]))) {
            generated = generate(archive, ServedApis.ALL, ServedApis.SERVER_ENFORCES_FIELD_VALIDATION);
        }
        Path classes = Path.of(args[1]);
        generated.writeTo(classes);
        long bytes = generated.resources().values().stream().mapToLong(resource -> resource.length).sum();
        System.out.printf("OpenAPI: %d resources, %,d bytes, in %s%n",
                generated.resources().size(), bytes, classes.resolve(OpenApiResources.ROOT));
    }

    static GeneratedResources generate(KubernetesSpecArchive archive, List<ServedGroupVersion> served,
                                       boolean keepFieldValidation) throws IOException {
        Map<String, byte[]> resources = new LinkedHashMap<>();

        ObjectNode swagger = DocumentFilter.V2.filter(archive.swagger(),
                path -> served.stream().anyMatch(groupVersion -> groupVersion.serves(path)), keepFieldValidation);
        byte[] swaggerJson = compact(swagger);
        resources.put(OpenApiResources.V2_JSON, swaggerJson);
        resources.put(OpenApiResources.V2_PROTOBUF, SwaggerProtobuf.encode(swagger));

        SortedMap<String, String> v3Hashes = new TreeMap<>();
        for (ServedGroupVersion groupVersion : served) {
            ObjectNode document = DocumentFilter.V3.filter(archive.v3(groupVersion.v3Path()),
                    groupVersion::serves, keepFieldValidation);
            byte[] bytes = compact(document);
            resources.put(OpenApiResources.v3Document(groupVersion.v3Path()), bytes);
            v3Hashes.put(groupVersion.v3Path(), OpenApiHash.of(bytes));
        }
        resources.put(OpenApiResources.MANIFEST, new OpenApiManifest(OpenApiHash.of(swaggerJson), v3Hashes).toJson());
        return new GeneratedResources(resources);
    }

    private static byte[] compact(JsonNode document) throws JsonProcessingException {
        return JSON.writeValueAsBytes(document);
    }
}
