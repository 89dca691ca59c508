package dev.kumo.apimachinery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.patch.schema.OpenApiMergeSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test helpers: relaxed JSON (single quotes, unquoted names) and the OpenAPI fixtures. */
public final class TestJson {

    private static final JsonMapper RELAXED = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .build();

    /** Kubernetes-like fixture: Pod, ConfigMap, Deployment and what they use. */
    public static final OpenApiMergeSchema KUBERNETES = fixture("/openapi/kubernetes-subset.json");

    /** A test kind, test.kumo.dev/v1 MergeItem, with every kind of patch strategy. */
    public static final OpenApiMergeSchema MERGE_ITEM = fixture("/openapi/merge-item.json");

    private TestJson() {
    }

    public static JsonNode json(String relaxed) {
        try {
            return RELAXED.readTree(relaxed);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + relaxed, e);
        }
    }

    public static ObjectNode object(String relaxed) {
        return (ObjectNode) json(relaxed);
    }

    private static OpenApiMergeSchema fixture(String resource) {
        try (InputStream in = TestJson.class.getResourceAsStream(resource)) {
            return OpenApiMergeSchema.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
