package dev.kumo.node.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.pods.DownwardApi;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The files of the volumes whose content comes from the API, as the kubelet's volume plugins make them:
 * {@code configMap}, {@code secret}, {@code downwardAPI} and {@code projected} (with bound service-account
 * tokens). Each returns the payload an {@link AtomicWriter} writes.
 */
final class VolumePayloads {
    /** {@code defaultMode} when the volume names none (0644). */
    static final int DEFAULT_MODE = 0644;

    private final ApiObjectData objects;
    private final ServiceAccountTokens tokens;

    VolumePayloads(ApiObjectData objects, ServiceAccountTokens tokens) {
        this.objects = objects;
        this.tokens = tokens;
    }

    /** The payload of {@code volume} (one entry of {@code spec.volumes}) whose source is {@code kind}. */
    Map<String, FileProjection> of(ObjectNode pod, String kind, JsonNode source) throws VolumeError {
        int defaultMode = source.path("defaultMode").asInt(DEFAULT_MODE);
        Map<String, FileProjection> payload = new LinkedHashMap<>();
        switch (kind) {
            case "configMap" -> keyed(pod, false, source.path("name").asText(), source, defaultMode, payload);
            case "secret" -> keyed(pod, true, source.path("secretName").asText(), source, defaultMode, payload);
            case "downwardAPI" -> downward(pod, source.path("items"), defaultMode, payload);
            case "projected" -> {
                for (JsonNode projection : source.path("sources")) {
                    project(pod, projection, defaultMode, payload);
                }
            }
            default -> throw new IllegalArgumentException("not an API volume: " + kind);
        }
        return payload;
    }

    private void project(ObjectNode pod, JsonNode projection, int defaultMode, Map<String, FileProjection> payload)
            throws VolumeError {
        if (projection.has("configMap")) {
            JsonNode ref = projection.path("configMap");
            keyed(pod, false, ref.path("name").asText(), ref, defaultMode, payload);
        } else if (projection.has("secret")) {
            JsonNode ref = projection.path("secret");
            keyed(pod, true, ref.path("name").asText(), ref, defaultMode, payload);
        } else if (projection.has("downwardAPI")) {
            downward(pod, projection.path("downwardAPI").path("items"), defaultMode, payload);
        } else if (projection.has("serviceAccountToken")) {
            JsonNode request = projection.path("serviceAccountToken");
            String token = tokens.token(pod, request.path("audience").asText(""),
                    request.path("expirationSeconds").asLong(3600));
            put(payload, request.path("path").asText(), token.getBytes(StandardCharsets.UTF_8), defaultMode);
        } else {
            throw new VolumeError("projected source " + projection.fieldNames().next()
                    + " is not supported by kumo's node agent");
        }
    }

    /**
     * A ConfigMap's or Secret's keys as files: every key, or only {@code items} (key → path, own mode); a missing
     * object or item key is an error unless the reference is {@code optional}.
     */
    private void keyed(ObjectNode pod, boolean secret, String name, JsonNode ref, int defaultMode,
                       Map<String, FileProjection> payload) throws VolumeError {
        String kind = secret ? "secret" : "configmap";
        boolean optional = ref.path("optional").asBoolean(false);
        Optional<Map<String, byte[]>> data = objects.read(secret, Meta.namespace(pod), name);
        if (data.isEmpty()) {
            if (optional) {
                return;
            }
            throw new VolumeError(kind + " \"" + name + "\" not found");
        }
        JsonNode items = ref.path("items");
        if (items.isEmpty()) {
            for (Map.Entry<String, byte[]> entry : data.get().entrySet()) {
                put(payload, entry.getKey(), entry.getValue(), defaultMode);
            }
            return;
        }
        for (JsonNode item : items) {
            String key = item.path("key").asText();
            byte[] value = data.get().get(key);
            if (value == null) {
                if (optional) {
                    continue;
                }
                throw new VolumeError(kind + " references non-existent " + (secret ? "secret" : "config")
                        + " key: " + key);
            }
            put(payload, item.path("path").asText(), value, item.path("mode").asInt(defaultMode));
        }
    }

    /** Downward API items: the pod's metadata fields ({@code fieldRef}); the only fields volumes may name. */
    private static void downward(ObjectNode pod, JsonNode items, int defaultMode, Map<String, FileProjection> payload)
            throws VolumeError {
        for (JsonNode item : items) {
            if (item.has("resourceFieldRef")) {
                throw new VolumeError("downward API item " + item.path("path").asText()
                        + ": resourceFieldRef is not supported by kumo's node agent yet");
            }
            String value = metadataField(pod, item.path("fieldRef").path("fieldPath").asText());
            put(payload, item.path("path").asText(), value.getBytes(StandardCharsets.UTF_8),
                    item.path("mode").asInt(defaultMode));
        }
    }

    static String metadataField(ObjectNode pod, String path) throws VolumeError {
        return DownwardApi.metadataField(pod, path).orElseThrow(() -> new VolumeError(
                "unsupported fieldRef fieldPath in a downward API volume: " + path));
    }

    private static void put(Map<String, FileProjection> payload, String path, byte[] data, int mode) {
        payload.put(path, new FileProjection(data, mode));
    }
}
