package dev.kumo.apiserver.admission.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;

/** Whether a pod spec names a secret anywhere (Kubernetes' {@code VisitPodSecretNames}, for the common places). */
final class SecretReferences {
    private SecretReferences() {
    }

    static boolean any(JsonNode spec) {
        if (!spec.path("imagePullSecrets").isEmpty()) {
            return true;
        }
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.has("secret")) {
                return true;
            }
            for (JsonNode source : volume.path("projected").path("sources")) {
                if (source.has("secret")) {
                    return true;
                }
            }
            for (String withSecretRef : new String[]{"azureFile", "cephfs", "cinder", "flexVolume", "iscsi", "rbd",
                    "scaleIO", "storageos", "csi"}) {
                if (volume.has(withSecretRef)) {
                    JsonNode source = volume.get(withSecretRef);
                    if (source.has("secretRef") || source.has("secretName")
                            || source.has("nodePublishSecretRef")) {
                        return true;
                    }
                }
            }
        }
        for (String list : new String[]{"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode container : spec.path(list)) {
                for (JsonNode source : container.path("envFrom")) {
                    if (source.has("secretRef")) {
                        return true;
                    }
                }
                for (JsonNode env : container.path("env")) {
                    if (env.path("valueFrom").has("secretKeyRef")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
