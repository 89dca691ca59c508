package dev.kumo.apimachinery.store.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;

/** Test objects. */
final class Objects {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Objects() {
    }

    static ObjectKey key(String namespace, String name) {
        return new ObjectKey("configmaps", namespace, name);
    }

    static ObjectNode configMap(String namespace, String name, String value) {
        ObjectNode object = MAPPER.createObjectNode();
        object.put("apiVersion", "v1").put("kind", "ConfigMap");
        object.putObject("metadata").put("name", name).put("namespace", namespace);
        object.putObject("data").put("value", value);
        return object;
    }

    static String valueOf(ObjectNode object) {
        return object.path("data").path("value").asText();
    }
}
