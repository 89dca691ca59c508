package dev.kumo.node.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys and values of a ConfigMap ({@code data} as UTF-8, {@code binaryData} decoded) or a Secret ({@code data}
 * decoded) that a pod refers to, read through the API as the node: the Node authorizer lets a node read what its
 * pods refer to. Environments and volumes both read them here.
 */
public final class ReferencedData {
    private ReferencedData() {
    }

    /**
     * The object's data, a ConfigMap's {@code binaryData} too when {@code withBinaryData} (volumes project it;
     * environment variables see only {@code data}, as in the kubelet); empty when there is no such object.
     */
    public static Optional<Map<String, byte[]>> read(KubeClient client, boolean secret, String namespace,
                                                     String name, boolean withBinaryData) {
        Optional<ObjectNode> object = client.get(secret ? ResourceType.SECRETS : ResourceType.CONFIG_MAPS, namespace,
                name);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        Base64.Decoder base64 = Base64.getDecoder();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.get().path("data").fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String value = field.getValue().asText("");
            data.put(field.getKey(), secret ? base64.decode(value) : value.getBytes(StandardCharsets.UTF_8));
        }
        if (!secret && withBinaryData) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.get().path("binaryData").fields();
                 fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                data.put(field.getKey(), base64.decode(field.getValue().asText("")));
            }
        }
        return Optional.of(data);
    }
}
