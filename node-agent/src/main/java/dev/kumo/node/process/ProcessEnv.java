package dev.kumo.node.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.cri.EnvExpansion;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's environment for the {@code process} runtime: {@code PATH} and {@code HOSTNAME} (nothing of the
 * agent's own environment), then the container's {@code env} in order with {@code $(VAR)} expansion, and the pod
 * fields {@code valueFrom.fieldRef} names. ConfigMap and Secret references and {@code envFrom} are refused: this
 * runtime reads nothing from the API.
 */
final class ProcessEnv {
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ProcessEnv() {
    }

    /** @throws IllegalArgumentException for what the runtime cannot provide, in words for the container's status */
    static Map<String, String> of(ObjectNode pod, JsonNode container, String hostIp) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOSTNAME", Meta.name(pod));
        if (!container.path("envFrom").isEmpty()) {
            throw new IllegalArgumentException("envFrom is not supported by the process runtime");
        }
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            JsonNode from = variable.path("valueFrom");
            if (from.isMissingNode() || from.isNull()) {
                env.put(name, EnvExpansion.expand(variable.path("value").asText(""), env));
            } else {
                env.put(name, field(pod, from.path("fieldRef").path("fieldPath").asText(""), name, hostIp));
            }
        }
        return env;
    }

    private static String field(ObjectNode pod, String path, String variable, String hostIp) {
        return switch (path) {
            case "metadata.name" -> Meta.name(pod);
            case "metadata.namespace" -> Meta.namespace(pod);
            case "metadata.uid" -> Meta.uid(pod);
            case "spec.nodeName" -> pod.path("spec").path("nodeName").asText("");
            case "spec.serviceAccountName" -> pod.path("spec").path("serviceAccountName").asText("");
            case "status.podIP", "status.podIPs", "status.hostIP", "status.hostIPs" -> hostIp;
            default -> throw new IllegalArgumentException("env " + variable + ": the process runtime provides pod"
                    + " fields only (metadata.name, metadata.namespace, metadata.uid, spec.nodeName,"
                    + " spec.serviceAccountName, status.podIP, status.hostIP), not " + (path.isEmpty()
                    ? "ConfigMap, Secret or resource references" : path));
        };
    }
}
