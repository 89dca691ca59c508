package dev.kumo.apiserver.auth.node;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The objects a pod spec names, which the node running the pod must read to start it: the node authorizer lets a
 * node read exactly these. The walk follows Kubernetes' {@code VisitPodSecretNames} and
 * {@code VisitPodConfigmapNames}: image pull secrets; {@code env[].valueFrom} and {@code envFrom[]} of init,
 * regular and ephemeral containers; and the volume sources that carry a secret or config map (plain, projected, and
 * the volume plugins' credentials). References by other pods (pod, PVC, PV, secret chains) are not followed: kumo
 * serves no persistent volumes.
 *
 * @param serviceAccount the pod's service account, "" when it names none
 */
public record PodReferences(Set<String> secrets, Set<String> configMaps, String serviceAccount) {
    private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");
    /** Volume sources whose credentials are a {@code secretRef} (a LocalObjectReference). */
    private static final List<String> SECRET_REF_VOLUMES = List.of("cephfs", "cinder", "flexVolume", "rbd", "scaleIO",
            "iscsi", "storageos");

    public PodReferences {
        secrets = Set.copyOf(secrets);
        configMaps = Set.copyOf(configMaps);
    }

    /** What {@code pod} (a Pod object, or anything with a pod {@code spec}) refers to. */
    public static PodReferences of(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        Set<String> secrets = new LinkedHashSet<>();
        Set<String> configMaps = new LinkedHashSet<>();
        spec.path("imagePullSecrets").forEach(reference -> add(secrets, reference.path("name")));
        for (String list : CONTAINER_LISTS) {
            for (JsonNode container : spec.path(list)) {
                container.path("envFrom").forEach(source -> {
                    add(secrets, source.path("secretRef").path("name"));
                    add(configMaps, source.path("configMapRef").path("name"));
                });
                container.path("env").forEach(variable -> {
                    add(secrets, variable.path("valueFrom").path("secretKeyRef").path("name"));
                    add(configMaps, variable.path("valueFrom").path("configMapKeyRef").path("name"));
                });
            }
        }
        for (JsonNode volume : spec.path("volumes")) {
            add(secrets, volume.path("secret").path("secretName"));
            add(secrets, volume.path("azureFile").path("secretName"));
            add(secrets, volume.path("csi").path("nodePublishSecretRef").path("name"));
            SECRET_REF_VOLUMES.forEach(source -> add(secrets, volume.path(source).path("secretRef").path("name")));
            add(configMaps, volume.path("configMap").path("name"));
            volume.path("projected").path("sources").forEach(source -> {
                add(secrets, source.path("secret").path("name"));
                add(configMaps, source.path("configMap").path("name"));
            });
        }
        return new PodReferences(secrets, configMaps, serviceAccountOf(spec));
    }

    /** {@code serviceAccountName}, or the deprecated {@code serviceAccount} that v1 still accepts in its place. */
    private static String serviceAccountOf(JsonNode spec) {
        String name = spec.path("serviceAccountName").asText("");
        return name.isEmpty() ? spec.path("serviceAccount").asText("") : name;
    }

    /** Empty names are no reference (Kubernetes skips them too). */
    private static void add(Set<String> names, JsonNode name) {
        if (name.isTextual() && !name.asText().isEmpty()) {
            names.add(name.asText());
        }
    }
}
