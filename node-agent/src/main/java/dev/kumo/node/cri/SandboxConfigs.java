package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.cri.v1.LinuxPodSandboxConfig;
import dev.kumo.node.cri.v1.LinuxSandboxSecurityContext;
import dev.kumo.node.cri.v1.NamespaceMode;
import dev.kumo.node.cri.v1.NamespaceOption;
import dev.kumo.node.cri.v1.PodSandboxConfig;
import dev.kumo.node.cri.v1.PodSandboxMetadata;
import dev.kumo.node.cri.v1.PortMapping;
import dev.kumo.node.cri.v1.Protocol;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * A pod's sandbox configuration as the kubelet makes it ({@code generatePodSandboxConfig}): metadata (name, uid,
 * namespace, attempt), the hostname, the log directory {@code <logRoot>/<namespace>_<name>_<uid>}, the DNS
 * configuration ({@link SandboxDns}), the host ports, the pod's labels plus the kubelet's own and its annotations,
 * and the host namespaces it asks for.
 */
final class SandboxConfigs {
    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    /** A hostname is one DNS label. */
    private static final int MAX_HOSTNAME = 63;

    private SandboxConfigs() {
    }

    static PodSandboxConfig of(ObjectNode pod, int attempt, Path logRoot) {
        return of(pod, attempt, "", logRoot);
    }

    /** {@code clusterDns}: the address pods of dnsPolicy ClusterFirst resolve with ("" for none). */
    static PodSandboxConfig of(ObjectNode pod, int attempt, String clusterDns, Path logRoot) {
        JsonNode spec = pod.path("spec");
        PodSandboxConfig.Builder config = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(Meta.name(pod)).setUid(Meta.uid(pod))
                        .setNamespace(Meta.namespace(pod)).setAttempt(attempt))
                .setLogDirectory(logDirectory(pod, logRoot).toString())
                .putAllLabels(strings(pod.path("metadata").path("labels")))
                .putLabels(CriLabels.POD_NAME, Meta.name(pod))
                .putLabels(CriLabels.POD_NAMESPACE, Meta.namespace(pod))
                .putLabels(CriLabels.POD_UID, Meta.uid(pod))
                .putAllAnnotations(strings(pod.path("metadata").path("annotations")));
        boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
        if (!hostNetwork) {
            config.setHostname(hostname(pod));
        }
        config.setDnsConfig(SandboxDns.of(pod, clusterDns, HOST_RESOLV_CONF));
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode container : spec.path(list)) {
                for (JsonNode port : container.path("ports")) {
                    int hostPort = port.path("hostPort").asInt(0);
                    if (hostPort > 0) {
                        config.addPortMappings(PortMapping.newBuilder()
                                .setProtocol(protocol(port.path("protocol").asText("TCP")))
                                .setContainerPort(port.path("containerPort").asInt())
                                .setHostPort(hostPort)
                                .setHostIp(port.path("hostIP").asText("")));
                    }
                }
            }
        }
        NamespaceOption namespaces = NamespaceOption.newBuilder()
                .setNetwork(hostNetwork ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(spec.path("hostPID").asBoolean(false) ? NamespaceMode.NODE
                        : spec.path("shareProcessNamespace").asBoolean(false) ? NamespaceMode.POD
                        : NamespaceMode.CONTAINER)
                .setIpc(spec.path("hostIPC").asBoolean(false) ? NamespaceMode.NODE : NamespaceMode.POD)
                .build();
        config.setLinux(LinuxPodSandboxConfig.newBuilder()
                .setSecurityContext(LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces)));
        return config.build();
    }

    static Path logDirectory(ObjectNode pod, Path logRoot) {
        return logRoot.resolve(Meta.namespace(pod) + "_" + Meta.name(pod) + "_" + Meta.uid(pod));
    }

    /** {@code spec.hostname}, else the pod's name, cut to one DNS label without a trailing dash or dot. */
    static String hostname(ObjectNode pod) {
        String hostname = pod.path("spec").path("hostname").asText("");
        if (hostname.isEmpty()) {
            hostname = Meta.name(pod);
        }
        if (hostname.length() > MAX_HOSTNAME) {
            hostname = hostname.substring(0, MAX_HOSTNAME).replaceAll("[-.]+$", "");
        }
        return hostname;
    }

    static Protocol protocol(String protocol) {
        return switch (protocol) {
            case "UDP" -> Protocol.UDP;
            case "SCTP" -> Protocol.SCTP;
            default -> Protocol.TCP;
        };
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            map.put(field.getKey(), field.getValue().asText());
        }
        return map;
    }
}
