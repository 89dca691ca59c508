package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.node.pods.ReferencedData;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ConfigMaps and Secrets a container's environment names ({@code configMapKeyRef}, {@code secretKeyRef},
 * {@code envFrom}), read through the API as the node (the Node authorizer lets a node read what its pods refer
 * to), with the kubelet's rules: a missing object or key is an error unless the reference is optional; envFrom
 * takes every key that is a valid variable name, with its prefix.
 */
final class EnvSources {
    /** What the kubelet accepts as a variable name from envFrom (IsEnvVarName). */
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final KubeClient client;

    EnvSources(KubeClient client) {
        this.client = client;
    }

    /** {@code configMapKeyRef} or {@code secretKeyRef}: the value, or empty for an optional reference not there. */
    Optional<String> keyRef(String namespace, String variable, JsonNode valueFrom)
            throws ContainerConfigs.ConfigError {
        boolean secret = valueFrom.has("secretKeyRef");
        JsonNode ref = valueFrom.path(secret ? "secretKeyRef" : "configMapKeyRef");
        boolean optional = ref.path("optional").asBoolean(false);
        Optional<Map<String, String>> data = data(namespace, ref.path("name").asText(), secret);
        if (data.isEmpty()) {
            if (optional) {
                return Optional.empty();
            }
            throw new ContainerConfigs.ConfigError((secret ? "secret" : "configmap") + " \""
                    + ref.path("name").asText() + "\" not found");
        }
        String key = ref.path("key").asText();
        String value = data.get().get(key);
        if (value == null) {
            if (optional) {
                return Optional.empty();
            }
            throw new ContainerConfigs.ConfigError("couldn't find key " + key + " in " + (secret ? "Secret "
                    : "ConfigMap ") + namespace + "/" + ref.path("name").asText());
        }
        return Optional.of(value);
    }

    /** One {@code envFrom} source's variables, prefixed, in key order. */
    Map<String, String> envFrom(String namespace, JsonNode source) throws ContainerConfigs.ConfigError {
        boolean secret = source.has("secretRef");
        JsonNode ref = source.path(secret ? "secretRef" : "configMapRef");
        Optional<Map<String, String>> data = data(namespace, ref.path("name").asText(), secret);
        if (data.isEmpty()) {
            if (ref.path("optional").asBoolean(false)) {
                return Map.of();
            }
            throw new ContainerConfigs.ConfigError((secret ? "secret" : "configmap") + " \""
                    + ref.path("name").asText() + "\" not found");
        }
        String prefix = source.path("prefix").asText("");
        Map<String, String> variables = new LinkedHashMap<>();
        new java.util.TreeMap<>(data.get()).forEach((key, value) -> {
            if (ENV_NAME.matcher(prefix + key).matches()) {
                variables.put(prefix + key, value);
            }
        });
        return variables;
    }

    /** A ConfigMap's data or a Secret's decoded data; empty when there is no such object. */
    private Optional<Map<String, String>> data(String namespace, String name, boolean secret) {
        return ReferencedData.read(client, secret, namespace, name, false).map(data -> {
            Map<String, String> text = new LinkedHashMap<>();
            data.forEach((key, value) -> text.put(key, new String(value, StandardCharsets.UTF_8)));
            return text;
        });
    }
}
