package dev.kumo.node.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.cri.ContainerConfigs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's environment for the {@code process} runtime: {@code PATH} and {@code HOSTNAME} (nothing of the
 * agent's own environment), then what the kubelet makes of the container's {@code env} ({@link ContainerConfigs},
 * the cri runtime's rules: {@code $(VAR)} expansion, the pod fields {@code fieldRef} names, every pod IP being the
 * host's). ConfigMap and Secret references and {@code envFrom} are refused: this runtime reads nothing from the API.
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
        try {
            env.putAll(ContainerConfigs.environmentWithoutApi(pod, container, hostIp, hostIp));
        } catch (ContainerConfigs.ConfigError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return env;
    }
}
