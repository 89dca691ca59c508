package dev.kumo.apimachinery.patch.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** A schema node read lazily from an OpenAPI document, so that recursive schemas cost nothing up front. */
final class OpenApiNode implements SchemaNode {

    private final OpenApiDefinitions definitions;
    private final ResolvedSchema schema;
    private final SchemaNode metadata;

    /**
     * @param metadata the node every top-level object uses for {@code metadata} (Kubernetes always uses
     *     ObjectMeta there, whatever a custom resource's schema says), or null below the top level
     */
    OpenApiNode(OpenApiDefinitions definitions, ResolvedSchema schema, SchemaNode metadata) {
        this.definitions = definitions;
        this.schema = schema;
        this.metadata = metadata;
    }

    private SchemaNode child(JsonNode childSchema) {
        return childSchema == null || !childSchema.isObject()
                ? SchemaNode.untyped()
                : new OpenApiNode(definitions, definitions.resolve(childSchema), null);
    }

    @Override
    public Shape shape() {
        return schema.shape();
    }

    @Override
    public SchemaNode field(String name) {
        if (shape() != Shape.OBJECT) {
            return SchemaNode.untyped();
        }
        if (metadata != null && name.equals("metadata")) {
            return metadata;
        }
        JsonNode declared = schema.properties().get(name);
        return declared != null ? child(declared) : child(schema.additionalProperties());
    }

    @Override
    public boolean declares(String name) {
        return shape() == Shape.OBJECT
                && (schema.properties().containsKey(name) || (metadata != null && name.equals("metadata")));
    }

    @Override
    public SchemaNode items() {
        return shape() == Shape.LIST ? child(schema.items()) : SchemaNode.untyped();
    }

    @Override
    public ListType listType() {
        if (shape() != Shape.LIST) {
            return ListType.ATOMIC;
        }
        Optional<String> explicit = schema.text(ResolvedSchema.LIST_TYPE);
        if (explicit.isPresent()) {
            return switch (explicit.get()) {
                case "set" -> ListType.SET;
                case "map" -> ListType.MAP;
                default -> ListType.ATOMIC;
            };
        }
        if (patchStrategy().merge()) {
            return patchMergeKey().isPresent() ? ListType.MAP : ListType.SET;
        }
        return ListType.ATOMIC;
    }

    @Override
    public List<String> listMapKeys() {
        if (listType() != ListType.MAP) {
            return List.of();
        }
        List<String> keys = schema.textList(ResolvedSchema.LIST_MAP_KEYS);
        if (!keys.isEmpty()) {
            return keys;
        }
        return patchMergeKey().map(List::of).orElse(List.of());
    }

    @Override
    public MapType mapType() {
        return schema.text(ResolvedSchema.MAP_TYPE).filter("atomic"::equals).isPresent()
                ? MapType.ATOMIC
                : MapType.GRANULAR;
    }

    @Override
    public PatchStrategy patchStrategy() {
        return PatchStrategy.parse(schema.text(ResolvedSchema.PATCH_STRATEGY).orElse(null));
    }

    @Override
    public Optional<String> patchMergeKey() {
        return schema.text(ResolvedSchema.PATCH_MERGE_KEY);
    }

    @Override
    public Optional<JsonNode> defaultValue() {
        return Optional.ofNullable(schema.defaultValue());
    }

    @Override
    public String toString() {
        return "OpenApiNode[" + shape() + (schema.type() == null ? "" : ", type=" + schema.type()) + "]";
    }
}
