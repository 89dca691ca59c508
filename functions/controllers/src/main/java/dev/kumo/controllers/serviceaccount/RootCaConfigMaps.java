package dev.kumo.controllers.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * kube's root-ca-cert-publisher for one active namespace: ConfigMap {@code kube-root-ca.crt} holds exactly
 * {@code ca.crt} (the bundle clients trust for the API, projected into every pod with its token) and the
 * {@code kubernetes.io/description} annotation; a missing one is created, a changed one put back.
 */
final class RootCaConfigMaps {
    static final String NAME = "kube-root-ca.crt";
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when "
            + "using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage "
            + "is guaranteed across distributions of Kubernetes clusters.";
    private static final Logger LOG = LoggerFactory.getLogger(RootCaConfigMaps.class);

    private final KubeClient client;
    private final String caBundle;

    RootCaConfigMaps(KubeClient client, String caBundle) {
        this.client = client;
        this.caBundle = caBundle;
    }

    /** True when done; false when the ConfigMap changed meanwhile and should be looked at again. */
    boolean ensure(String namespace) {
        Optional<ObjectNode> existing = client.get(ResourceType.CONFIG_MAPS, namespace, NAME);
        if (existing.isEmpty()) {
            ObjectNode configMap = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
            configMap.putObject("metadata").put("name", NAME).putObject("annotations")
                    .put(DESCRIPTION_ANNOTATION, DESCRIPTION);
            configMap.putObject("data").put("ca.crt", caBundle);
            try {
                client.create(ResourceType.CONFIG_MAPS, namespace, configMap);
                LOG.atInfo().addKeyValue("namespace", namespace).addKeyValue("configMap", NAME).log("published");
                return true;
            } catch (ApiError e) {
                if (e.code() == 409) {
                    return false; // created by another meanwhile: check its content next time
                }
                if (ServiceAccountController.createLostHarmlessly(e)) {
                    return true;
                }
                throw e;
            }
        }
        ObjectNode current = existing.get();
        JsonNode data = current.path("data");
        if (data.size() == 1 && caBundle.equals(data.path("ca.crt").asText(null))
                && !current.path("metadata").path("annotations").path(DESCRIPTION_ANNOTATION).asText("").isEmpty()) {
            return true;
        }
        ObjectNode fixed = current.deepCopy();
        fixed.putObject("data").put("ca.crt", caBundle);
        ObjectNode metadata = Meta.of(fixed);
        (metadata.path("annotations") instanceof ObjectNode a ? a : metadata.putObject("annotations"))
                .put(DESCRIPTION_ANNOTATION, DESCRIPTION);
        try {
            client.update(ResourceType.CONFIG_MAPS, fixed);
        } catch (ApiError e) {
            if (e.isConflict() || e.isNotFound()) {
                return false;
            }
            throw e;
        }
        LOG.atInfo().addKeyValue("namespace", namespace).addKeyValue("configMap", NAME)
                .log("put the root CA bundle back");
        return true;
    }
}
