package dev.kumo.apimachinery.patch.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link MergeSchema} read from an OpenAPI document in Kubernetes' format: named schemas under
 * {@code components.schemas} (v3) or {@code definitions} (v2), referenced with {@code $ref} (often wrapped in
 * {@code allOf}), top-level kinds marked with {@code x-kubernetes-group-version-kind}.
 *
 * <p>Instances are immutable and safe to share between threads. {@code metadata} of every top-level object
 * is {@code io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta} when the document defines it, including for
 * kinds the document does not know (which are otherwise untyped).
 */
public final class OpenApiMergeSchema implements MergeSchema {

    static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static final String GROUP_VERSION_KIND = "x-kubernetes-group-version-kind";

    private final OpenApiDefinitions definitions;
    private final Map<GroupVersionKind, JsonNode> kinds;

    private OpenApiMergeSchema(OpenApiDefinitions definitions, Map<GroupVersionKind, JsonNode> kinds) {
        this.definitions = definitions;
        this.kinds = Map.copyOf(kinds);
    }

    /** Reads the named schemas of an OpenAPI v3 ({@code components.schemas}) or v2 ({@code definitions}) document. */
    public static OpenApiMergeSchema of(JsonNode document) {
        JsonNode named = document.path("components").path("schemas");
        if (!named.isObject()) {
            named = document.path("definitions");
        }
        if (!named.isObject()) {
            throw new IllegalArgumentException("not an OpenAPI document: no components.schemas nor definitions");
        }
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        named.fields().forEachRemaining(e -> byName.put(e.getKey(), e.getValue()));
        Map<GroupVersionKind, JsonNode> kinds = new HashMap<>();
        byName.values().forEach(schema -> {
            for (JsonNode gvk : schema.path(GROUP_VERSION_KIND)) {
                kinds.putIfAbsent(new GroupVersionKind(
                        gvk.path("group").asText(""), gvk.path("version").asText(""), gvk.path("kind").asText("")),
                        schema);
            }
        });
        return new OpenApiMergeSchema(new OpenApiDefinitions(byName), kinds);
    }

    /** Reads a JSON OpenAPI document. */
    public static OpenApiMergeSchema read(InputStream json) {
        try {
            return of(new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OpenAPI document", e);
        }
    }

    /**
     * This schema plus one kind described by an inline schema, such as a CustomResourceDefinition's
     * {@code openAPIV3Schema}; {@code $ref}s in it resolve against this document.
     */
    public OpenApiMergeSchema withKind(GroupVersionKind kind, JsonNode schema) {
        Map<GroupVersionKind, JsonNode> more = new HashMap<>(kinds);
        more.put(kind, schema);
        return new OpenApiMergeSchema(definitions, more);
    }

    @Override
    public Optional<SchemaNode> find(GroupVersionKind kind) {
        JsonNode schema = kinds.get(kind);
        return schema == null
                ? Optional.empty()
                : Optional.of(new OpenApiNode(definitions, definitions.resolve(schema), objectMeta()));
    }

    @Override
    public SchemaNode root(GroupVersionKind kind) {
        return find(kind).orElseGet(this::unknownKind);
    }

    private SchemaNode objectMeta() {
        JsonNode meta = definitions.named(OBJECT_META);
        return meta == null ? null : new OpenApiNode(definitions, definitions.resolve(meta), null);
    }

    /** An object without schema except for its ObjectMeta. */
    private SchemaNode unknownKind() {
        SchemaNode meta = objectMeta();
        if (meta == null) {
            return SchemaNode.untyped();
        }
        ResolvedSchema anyFields = new ResolvedSchema("object", Map.of(), BooleanNode.TRUE, null, Map.of(), null);
        return new OpenApiNode(definitions, anyFields, meta);
    }
}
