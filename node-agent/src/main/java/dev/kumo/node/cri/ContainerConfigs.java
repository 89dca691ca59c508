package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.cri.v1.ContainerConfig;
import dev.kumo.node.cri.v1.ContainerMetadata;
import dev.kumo.node.cri.v1.ImageSpec;
import dev.kumo.node.cri.v1.KeyValue;
import dev.kumo.node.cri.v1.LinuxContainerConfig;
import dev.kumo.node.cri.v1.LinuxContainerSecurityContext;
import dev.kumo.node.cri.v1.NamespaceOption;
import dev.kumo.node.cri.v1.PodSandboxConfig;
import dev.kumo.node.pods.DownwardApi;
import dev.kumo.node.volumes.MountedVolume;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A container's CRI configuration as the kubelet makes it ({@code generateContainerConfig}): metadata (name,
 * attempt), the image by id with the reference the user wrote, command and args with {@code $(VAR)} expanded, the
 * working directory, the environment, the kubelet's labels and annotations, its log path
 * {@code <name>/<attempt>.log} under the sandbox's log directory, its volume mounts, and its cgroup resources.
 */
public final class ContainerConfigs {
    private ContainerConfigs() {
    }

    /** What the configuration cannot be made from (the kubelet's CreateContainerConfigError). */
    public static final class ConfigError extends Exception {
        ConfigError(String message) {
            super(message);
        }
    }

    /**
     * What the environment can refer to besides the pod itself: its IP, the node's, the node's memory (for the OOM
     * score), the API's ConfigMaps and Secrets ({@code sources}, null where the runtime has no API client) and the
     * pod's volumes as set up on the node.
     */
    record PodContext(String podIp, String hostIp, long nodeMemoryBytes, EnvSources sources,
                      Map<String, MountedVolume> volumes) {
        PodContext(String podIp, String hostIp, long nodeMemoryBytes, EnvSources sources) {
            this(podIp, hostIp, nodeMemoryBytes, sources, Map.of());
        }
    }

    static ContainerConfig of(ObjectNode pod, JsonNode container, String kind, int attempt, String imageId,
                              PodSandboxConfig sandbox, PodContext context) throws ConfigError {
        String name = container.path("name").asText();
        Map<String, String> env = environment(pod, container, context);
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(attempt))
                .setImage(ImageSpec.newBuilder().setImage(imageId)
                        .setUserSpecifiedImage(container.path("image").asText("")))
                .setWorkingDir(container.path("workingDir").asText(""))
                .setLogPath(name + "/" + attempt + ".log")
                .setStdin(container.path("stdin").asBoolean(false))
                .setStdinOnce(container.path("stdinOnce").asBoolean(false))
                .setTty(container.path("tty").asBoolean(false))
                .putLabels(CriLabels.POD_NAME, Meta.name(pod))
                .putLabels(CriLabels.POD_NAMESPACE, Meta.namespace(pod))
                .putLabels(CriLabels.POD_UID, Meta.uid(pod))
                .putLabels(CriLabels.CONTAINER_NAME, name)
                .putLabels(CriLabels.CONTAINER_KIND, kind)
                .putAnnotations(CriLabels.RESTART_COUNT, Integer.toString(attempt))
                .putAnnotations(CriLabels.TERMINATION_GRACE_PERIOD,
                        Long.toString(pod.path("spec").path("terminationGracePeriodSeconds").asLong(30)));
        container.path("command").forEach(part -> config.addCommand(EnvExpansion.expand(part.asText(), env)));
        container.path("args").forEach(part -> config.addArgs(EnvExpansion.expand(part.asText(), env)));
        env.forEach((key, value) -> config.addEnvs(KeyValue.newBuilder().setKey(key).setValue(value)));
        config.addAllMounts(VolumeMounts.of(container, context.volumes()));
        NamespaceOption namespaces = sandbox.getLinux().getSecurityContext().getNamespaceOptions();
        config.setLinux(LinuxContainerConfig.newBuilder()
                .setResources(ContainerResources.of(pod, container, context.nodeMemoryBytes()))
                .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                        .setPrivileged(container.path("securityContext").path("privileged").asBoolean(false))
                        .setNamespaceOptions(namespaces)));
        return config.build();
    }

    /**
     * The container's environment as the kubelet makes it ({@code makeEnvironmentVariables}): {@code envFrom}
     * sources first, in order, then {@code env} in order, each value expanded with the variables before it;
     * {@code fieldRef}s from the pod, {@code configMapKeyRef} and {@code secretKeyRef} from the API.
     */
    static Map<String, String> environment(ObjectNode pod, JsonNode container, PodContext context)
            throws ConfigError {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            env.putAll(sources(context, "envFrom").envFrom(Meta.namespace(pod), source));
        }
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            JsonNode valueFrom = variable.path("valueFrom");
            if (valueFrom.isMissingNode() || valueFrom.isNull()) {
                env.put(name, EnvExpansion.expand(variable.path("value").asText(""), env));
            } else if (valueFrom.has("fieldRef")) {
                env.put(name, fieldRef(pod, valueFrom.path("fieldRef").path("fieldPath").asText(), context));
            } else if (valueFrom.has("configMapKeyRef") || valueFrom.has("secretKeyRef")) {
                sources(context, "env " + name).keyRef(Meta.namespace(pod), name, valueFrom)
                        .ifPresent(value -> env.put(name, value));
            } else {
                throw new ConfigError("env " + name + ": " + valueFrom.fieldNames().next()
                        + " is not supported by kumo's cri runtime yet");
            }
        }
        return env;
    }

    /**
     * The environment for a runtime that reads nothing from the API (the {@code process} runtime): the same rules,
     * with ConfigMap and Secret references refused.
     */
    public static Map<String, String> environmentWithoutApi(ObjectNode pod, JsonNode container, String podIp,
                                                            String hostIp) throws ConfigError {
        return environment(pod, container, new PodContext(podIp, hostIp, 0, null));
    }

    private static EnvSources sources(PodContext context, String what) throws ConfigError {
        if (context.sources() == null) {
            throw new ConfigError(what + ": values from ConfigMaps and Secrets need the API, which this runtime "
                    + "was started without");
        }
        return context.sources();
    }

    /** The downward API's field paths an env var may name. */
    static String fieldRef(ObjectNode pod, String path, PodContext context) throws ConfigError {
        Optional<String> metadata = DownwardApi.metadataField(pod, path);
        if (metadata.isPresent()) {
            return metadata.get();
        }
        return switch (path) {
            case "spec.nodeName" -> pod.path("spec").path("nodeName").asText("");
            case "spec.serviceAccountName" -> pod.path("spec").path("serviceAccountName").asText("");
            case "status.hostIP", "status.hostIPs" -> context.hostIp();
            case "status.podIP", "status.podIPs" -> context.podIp();
            default -> throw new ConfigError("unsupported fieldRef fieldPath: " + path);
        };
    }
}
