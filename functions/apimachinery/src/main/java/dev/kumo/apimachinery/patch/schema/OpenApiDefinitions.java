package dev.kumo.apimachinery.patch.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The named schemas of an OpenAPI document, and the folding of {@code $ref} / {@code allOf} layers. */
final class OpenApiDefinitions {

    private final Map<String, JsonNode> byName;
    private final Map<Identity, ResolvedSchema> resolved = new ConcurrentHashMap<>();

    OpenApiDefinitions(Map<String, JsonNode> byName) {
        this.byName = Map.copyOf(byName);
    }

    JsonNode named(String name) {
        return byName.get(name);
    }

    /** The folded view of {@code schema}, computed once per schema node. */
    ResolvedSchema resolve(JsonNode schema) {
        return resolved.computeIfAbsent(new Identity(schema), key -> resolve(schema, new HashSet<>()));
    }

    private ResolvedSchema resolve(JsonNode schema, Set<String> visiting) {
        List<JsonNode> layers = new ArrayList<>();
        collectLayers(schema, visiting, layers);
        String type = null;
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        JsonNode additionalProperties = null;
        JsonNode items = null;
        Map<String, JsonNode> extensions = new LinkedHashMap<>();
        JsonNode defaultValue = null;
        for (JsonNode layer : layers) {
            if (layer.path("type").isTextual()) {
                type = layer.get("type").asText();
            }
            layer.path("properties").fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue()));
            JsonNode additional = layer.get("additionalProperties");
            if (additional != null && (additional.isObject() || additional.asBoolean(false))) {
                additionalProperties = additional;
            }
            if (layer.has("items")) {
                items = layer.get("items");
            }
            if (layer.has("default")) {
                defaultValue = layer.get("default");
            }
            layer.fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("x-kubernetes-")) {
                    extensions.put(e.getKey(), e.getValue());
                }
            });
        }
        return new ResolvedSchema(type, properties, additionalProperties, items, extensions, defaultValue);
    }

    /** A map key comparing schema nodes by identity: hashing their content would cost more than folding. */
    private record Identity(JsonNode node) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity that && that.node == node;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(node);
        }
    }

    /** Adds the layers of {@code schema}, referenced ones first so that the schema's own keys win. */
    private void collectLayers(JsonNode schema, Set<String> visiting, List<JsonNode> layers) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual()) {
            String name = ref.asText().substring(ref.asText().lastIndexOf('/') + 1);
            if (byName.containsKey(name) && visiting.add(name)) {
                collectLayers(byName.get(name), visiting, layers);
                visiting.remove(name);
            }
        }
        for (JsonNode part : schema.path("allOf")) {
            collectLayers(part, visiting, layers);
        }
        layers.add(schema);
    }
}
