package dev.kumo.apimachinery.patch.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** A node without schema: every field and item is untyped too. */
enum UntypedNode implements SchemaNode {
    INSTANCE;

    @Override
    public Shape shape() {
        return Shape.UNTYPED;
    }

    @Override
    public SchemaNode field(String name) {
        return this;
    }

    @Override
    public boolean declares(String name) {
        return false;
    }

    @Override
    public SchemaNode items() {
        return this;
    }

    @Override
    public ListType listType() {
        return ListType.ATOMIC;
    }

    @Override
    public List<String> listMapKeys() {
        return List.of();
    }

    @Override
    public MapType mapType() {
        return MapType.GRANULAR;
    }

    @Override
    public PatchStrategy patchStrategy() {
        return PatchStrategy.NONE;
    }

    @Override
    public Optional<String> patchMergeKey() {
        return Optional.empty();
    }

    @Override
    public Optional<JsonNode> defaultValue() {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "untyped";
    }
}
