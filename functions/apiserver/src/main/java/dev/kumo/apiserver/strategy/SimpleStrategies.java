package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.errors.FieldError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Strategies of kinds with only a few rules of their own. */
public final class SimpleStrategies {
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final int MAX_DATA_BYTES = 1024 * 1024;

    private SimpleStrategies() {
    }

    /** Kinds with no rules beyond metadata. */
    public static Strategy plain() {
        return new Strategy() {
        };
    }

    public static Strategy namespaces() {
        return new Strategy() {
            @Override
            public boolean namesAreLabels() {
                return true;
            }

            @Override
            public void prepareForCreate(ObjectNode namespace) {
                // kube-apiserver requires the kubernetes finalizer on create (the namespace controller's token),
                // keeping any others the request names.
                ObjectNode spec = Json.object(namespace, "spec");
                JsonNode finalizers = spec.path("finalizers");
                boolean hasKubernetes = false;
                for (JsonNode finalizer : finalizers) {
                    hasKubernetes |= finalizer.asText().equals("kubernetes");
                }
                if (!hasKubernetes) {
                    (finalizers.isArray() ? (ArrayNode) finalizers : spec.putArray("finalizers")).add("kubernetes");
                }
                namespace.putObject("status").put("phase", "Active");
                Json.object(Json.object(namespace, "metadata"), "labels")
                        .put("kubernetes.io/metadata.name", namespace.path("metadata").path("name").asText());
            }

            @Override
            public void prepareForUpdate(ObjectNode namespace, ObjectNode old) {
                namespace.set("spec", old.path("spec").deepCopy());
                Json.object(Json.object(namespace, "metadata"), "labels")
                        .put("kubernetes.io/metadata.name", old.path("metadata").path("name").asText());
            }

            @Override
            public Map<String, String> selectableFields(ObjectNode namespace) {
                return Map.of("status.phase", namespace.path("status").path("phase").asText(""));
            }
        };
    }

    public static Strategy configMaps() {
        return new Strategy() {
            @Override
            public List<FieldError> validate(ObjectNode configMap) {
                List<FieldError> errors = new ArrayList<>();
                long size = checkKeys(configMap.path("data"), "data", errors)
                        + checkKeys(configMap.path("binaryData"), "binaryData", errors);
                if (size > MAX_DATA_BYTES) {
                    errors.add(FieldError.tooLong("[]", MAX_DATA_BYTES));
                }
                return errors;
            }
        };
    }

    public static Strategy secrets() {
        return new Strategy() {
            @Override
            public void prepareForCreate(ObjectNode secret) {
                Json.defaultText(secret, "type", "Opaque");
                mergeStringData(secret);
            }

            @Override
            public void prepareForUpdate(ObjectNode secret, ObjectNode old) {
                Json.defaultText(secret, "type", "Opaque");
                mergeStringData(secret);
            }

            @Override
            public List<FieldError> validate(ObjectNode secret) {
                List<FieldError> errors = new ArrayList<>();
                long size = 0;
                for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>)
                        secret.path("data")::fields) {
                    checkKey(entry.getKey(), "data", errors);
                    try {
                        size += Base64.getDecoder().decode(entry.getValue().asText()).length;
                    } catch (IllegalArgumentException e) {
                        errors.add(FieldError.invalid("data[" + entry.getKey() + "]", "<secret contents redacted>",
                                "illegal base64 data"));
                    }
                }
                if (size > MAX_DATA_BYTES) {
                    errors.add(FieldError.tooLong("data", MAX_DATA_BYTES));
                }
                // A service-account token names its account; the token itself is filled in later.
                if (secret.path("type").asText().equals("kubernetes.io/service-account-token")
                        && secret.path("metadata").path("annotations").path("kubernetes.io/service-account.name")
                        .asText("").isEmpty()) {
                    errors.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", ""));
                }
                return errors;
            }

            @Override
            public List<FieldError> validateUpdate(ObjectNode secret, ObjectNode old) {
                List<FieldError> errors = new ArrayList<>(validate(secret));
                if (!secret.path("type").equals(old.path("type"))) {
                    errors.add(FieldError.invalid("type", secret.path("type").asText(), "field is immutable"));
                }
                if (old.path("immutable").asBoolean(false) && !secret.path("data").equals(old.path("data"))) {
                    errors.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
                }
                return errors;
            }

            @Override
            public Map<String, String> selectableFields(ObjectNode secret) {
                return Map.of("type", secret.path("type").asText(""));
            }
        };
    }

    /** stringData is write-only: merged into data (base64) and dropped, as Kubernetes does. */
    private static void mergeStringData(ObjectNode secret) {
        JsonNode stringData = secret.remove("stringData");
        if (stringData == null || !stringData.isObject()) {
            return;
        }
        ObjectNode data = Json.object(secret, "data");
        stringData.fields().forEachRemaining(entry -> data.put(entry.getKey(), Base64.getEncoder()
                .encodeToString(entry.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    }

    public static Strategy nodes() {
        return new Strategy() {
            @Override
            public void prepareForCreate(ObjectNode node) {
                Json.object(node, "spec");
            }

            @Override
            public Map<String, String> selectableFields(ObjectNode node) {
                return Map.of("spec.unschedulable", node.path("spec").path("unschedulable").asText("false"));
            }
        };
    }

    public static Strategy services() {
        return new Strategy() {
            @Override
            public boolean namesAreLabels() {
                return true;
            }

            @Override
            public void prepareForCreate(ObjectNode service) {
                service.putObject("status").putObject("loadBalancer");
                defaults(service);
            }

            @Override
            public void prepareForUpdate(ObjectNode service, ObjectNode old) {
                defaults(service);
                ObjectNode spec = Json.object(service, "spec");
                for (String allocated : List.of("clusterIP", "clusterIPs")) {
                    if (!spec.hasNonNull(allocated) && old.path("spec").has(allocated)) {
                        spec.set(allocated, old.path("spec").get(allocated));
                    }
                }
            }

            private void defaults(ObjectNode service) {
                ObjectNode spec = Json.object(service, "spec");
                Json.defaultText(spec, "type", "ClusterIP");
                Json.defaultText(spec, "sessionAffinity", "None");
                Json.defaultText(spec, "internalTrafficPolicy", "Cluster");
                if (!spec.has("ipFamilies")) {
                    spec.putArray("ipFamilies").add("IPv4");
                }
                Json.defaultText(spec, "ipFamilyPolicy", "SingleStack");
                for (ObjectNode port : Json.objects(spec, "ports")) {
                    Json.defaultText(port, "protocol", "TCP");
                    if (!port.hasNonNull("targetPort") && port.has("port")) {
                        port.set("targetPort", port.get("port"));
                    }
                }
                String type = spec.path("type").asText();
                if (type.equals("NodePort") || type.equals("LoadBalancer")) {
                    Json.defaultText(spec, "externalTrafficPolicy", "Cluster");
                }
            }

            @Override
            public List<FieldError> validateUpdate(ObjectNode service, ObjectNode old) {
                List<FieldError> errors = new ArrayList<>(validate(service));
                String oldIp = old.path("spec").path("clusterIP").asText("");
                String newIp = service.path("spec").path("clusterIP").asText("");
                if (!oldIp.isEmpty() && !oldIp.equals(newIp)
                        && !service.path("spec").path("type").asText().equals("ExternalName")) {
                    errors.add(FieldError.invalid("spec.clusterIPs[0]", newIp, "field is immutable"));
                }
                return errors;
            }

            @Override
            public List<FieldError> validate(ObjectNode service) {
                List<FieldError> errors = new ArrayList<>();
                JsonNode spec = service.path("spec");
                String type = spec.path("type").asText("ClusterIP");
                if (!List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName").contains(type)) {
                    errors.add(FieldError.notSupported("spec.type", type, "supported values: \"ClusterIP\", "
                            + "\"ExternalName\", \"LoadBalancer\", \"NodePort\""));
                }
                if (!type.equals("ExternalName") && spec.path("ports").isEmpty()
                        && !"None".equals(spec.path("clusterIP").asText())) {
                    errors.add(FieldError.required("spec.ports", ""));
                }
                int i = 0;
                for (JsonNode port : spec.path("ports")) {
                    long number = port.path("port").asLong(0);
                    if (number < 1 || number > 65535) {
                        errors.add(FieldError.invalid("spec.ports[" + i + "].port", port.path("port").asText(),
                                "must be between 1 and 65535, inclusive"));
                    }
                    if (spec.path("ports").size() > 1 && port.path("name").asText("").isEmpty()) {
                        errors.add(FieldError.required("spec.ports[" + i + "].name", ""));
                    }
                    i++;
                }
                return errors;
            }
        };
    }

    public static Strategy endpointSlices() {
        return new Strategy() {
            @Override
            public List<FieldError> validate(ObjectNode slice) {
                String type = slice.path("addressType").asText("");
                if (type.isEmpty()) {
                    return List.of(FieldError.required("addressType", ""));
                }
                if (!List.of("IPv4", "IPv6", "FQDN").contains(type)) {
                    return List.of(FieldError.notSupported("addressType", type,
                            "supported values: \"FQDN\", \"IPv4\", \"IPv6\""));
                }
                return List.of();
            }
        };
    }

    public static Strategy events() {
        return new Strategy() {
            @Override
            public Map<String, String> selectableFields(ObjectNode event) {
                JsonNode involved = event.path("involvedObject");
                return Map.of("involvedObject.kind", involved.path("kind").asText(""),
                        "involvedObject.namespace", involved.path("namespace").asText(""),
                        "involvedObject.name", involved.path("name").asText(""),
                        "involvedObject.uid", involved.path("uid").asText(""),
                        "involvedObject.apiVersion", involved.path("apiVersion").asText(""),
                        "involvedObject.resourceVersion", involved.path("resourceVersion").asText(""),
                        "involvedObject.fieldPath", involved.path("fieldPath").asText(""),
                        "reason", event.path("reason").asText(""),
                        "reportingComponent", event.path("reportingComponent").asText(""),
                        "source", event.path("source").path("component").asText(""));
            }
        };
    }

    private static long checkKeys(JsonNode map, String field, List<FieldError> errors) {
        long size = 0;
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) map::fields) {
            checkKey(entry.getKey(), field, errors);
            size += entry.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }

    private static void checkKey(String key, String field, List<FieldError> errors) {
        if (key.length() > 253 || !CONFIG_KEY.matcher(key).matches() || key.equals(".") || key.equals("..")) {
            errors.add(FieldError.invalid(field, key, "a valid config key must consist of alphanumeric characters, "
                    + "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
                    + "validation is '[-._a-zA-Z0-9]+')"));
        }
    }
}
