package dev.kumo.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the build generated: the hash of the v2 document (the JSON's, which Kubernetes also uses for the protobuf)
 * and the hash of each v3 document by its path below {@code /openapi/v3/}.
 */
public record OpenApiManifest(String v2Hash, SortedMap<String, String> v3Hashes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public OpenApiManifest {
        v3Hashes = Collections.unmodifiableSortedMap(new TreeMap<>(v3Hashes));
    }

    public static OpenApiManifest parse(byte[] json) throws IOException {
        JsonNode root = JSON.readTree(json);
        SortedMap<String, String> v3 = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : root.required("v3").properties()) {
            v3.put(entry.getKey(), entry.getValue().asText());
        }
        return new OpenApiManifest(root.required("v2").asText(), v3);
    }

    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("v2", v2Hash);
        ObjectNode v3 = root.putObject("v3");
        v3Hashes.forEach(v3::put);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the OpenAPI manifest", e);
        }
    }
}
