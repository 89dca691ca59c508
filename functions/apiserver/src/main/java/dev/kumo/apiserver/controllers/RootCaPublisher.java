package dev.kumo.apiserver.controllers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.admission.serviceaccount.ServiceAccountAdmission;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.resources.ResourceRegistry;
import dev.kumo.apiserver.strategy.Json;

import java.util.Optional;

/**
 * Kubernetes' root-ca-cert-publisher: every active namespace has the ConfigMap {@code kube-root-ca.crt} whose
 * {@code ca.crt} is the CA bundle clients should trust for the API, which the service-account token volume projects
 * into every pod. A ConfigMap whose data or description drifted is put back.
 */
public final class RootCaPublisher extends NamespaceReconciler {
    static final String NAME = ServiceAccountAdmission.ROOT_CA_CONFIG_MAP;
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
            + "internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
            + "guaranteed across distributions of Kubernetes clusters.";

    private final ResourceDefinition configMaps;
    private final String caBundle;

    /** @param caBundle PEM certificates clients should trust for the API */
    public RootCaPublisher(GenericRegistry registry, ResourceRegistry resources, String caBundle) {
        super(registry, resources);
        this.configMaps = core(resources, "configmaps");
        this.caBundle = caBundle;
    }

    @Override
    void reconcileActive(String namespace) {
        Optional<ObjectNode> existing = registry.find(configMaps, namespace, NAME);
        if (existing.isEmpty()) {
            ObjectNode configMap = JsonNodeFactory.instance.objectNode();
            configMap.putObject("metadata").put("name", NAME).putObject("annotations")
                    .put(DESCRIPTION_ANNOTATION, DESCRIPTION);
            configMap.putObject("data").put("ca.crt", caBundle);
            if (createIfMissing(configMaps, namespace, configMap)) {
                return;
            }
            existing = registry.find(configMaps, namespace, NAME);
        }
        ObjectNode current = existing.orElse(null);
        if (current == null || current.path("data").size() == 1
                && caBundle.equals(current.path("data").path("ca.crt").asText(null))
                && !current.path("metadata").path("annotations").path(DESCRIPTION_ANNOTATION).asText("").isEmpty()) {
            return;
        }
        registry.guaranteedUpdate(configMaps, namespace, NAME, "", CONTROLLER, null, configMap -> {
            configMap.putObject("data").put("ca.crt", caBundle);
            Json.object(Json.object(configMap, "metadata"), "annotations").put(DESCRIPTION_ANNOTATION, DESCRIPTION);
            return configMap;
        });
    }
}
