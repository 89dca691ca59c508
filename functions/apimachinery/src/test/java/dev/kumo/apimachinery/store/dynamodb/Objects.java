package dev.kumo.apimachinery.store.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

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

    static ObjectKey secretKey(String name) {
        return new ObjectKey("secrets", "ns", name);
    }

    /** A Secret in namespace ns whose data holds {@code data}'s values, base64-encoded as the API stores them. */
    static ObjectNode secret(String name, Map<String, String> data) {
        ObjectNode object = MAPPER.createObjectNode();
        object.put("apiVersion", "v1").put("kind", "Secret");
        object.putObject("metadata").put("name", name).put("namespace", "ns");
        ObjectNode encoded = object.putObject("data");
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return object;
    }

    /** A secret's data field, decoded. */
    static String secretData(ObjectNode secret, String field) {
        return new String(Base64.getDecoder().decode(secret.path("data").path(field).asText()), StandardCharsets.UTF_8);
    }
}
