package dev.kumo.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.registry.WriteOptions;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.resources.ResourceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The shared shape of the reconcilers keyed by namespace that make sure an object exists in every active
 * namespace: the namespace is read first (a missing or terminating one needs nothing), and a create that loses to a
 * concurrent one, or to the namespace's deletion, is not an error.
 */
abstract class NamespaceReconciler implements Reconciler {
    /** Kubernetes' kube-controller-manager writes these objects; managedFields name it so. */
    static final WriteOptions CONTROLLER = WriteOptions.system("kube-controller-manager");
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceReconciler.class);

    final GenericRegistry registry;
    private final ResourceDefinition namespaces;

    NamespaceReconciler(GenericRegistry registry, ResourceRegistry resources) {
        this.registry = registry;
        this.namespaces = resources.find("", "v1", "namespaces").orElseThrow();
    }

    static ResourceDefinition core(ResourceRegistry resources, String plural) {
        return resources.find("", "v1", plural).orElseThrow();
    }

    @Override
    public final void reconcile(String namespace) {
        Optional<ObjectNode> found = registry.find(namespaces, "", namespace);
        if (found.isEmpty() || isTerminating(found.get())) {
            return;
        }
        reconcileActive(namespace);
    }

    abstract void reconcileActive(String namespace);

    /** Creates the object unless it exists; true if this call created it. */
    boolean createIfMissing(ResourceDefinition def, String namespace, ObjectNode object) {
        if (registry.find(def, namespace, Meta.name(object)).isPresent()) {
            return false;
        }
        try {
            registry.create(def, namespace, object, CONTROLLER);
            LOG.atInfo().addKeyValue("kind", def.kind()).addKeyValue("namespace", namespace)
                    .addKeyValue("name", Meta.name(object)).log("created");
            return true;
        } catch (ApiException e) {
            // Someone else created it, or the namespace went away or began terminating: nothing left to do.
            if (e.code() == 409 || e.code() == 404 || e.code() == 403 && isNamespaceTerminating(e)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isNamespaceTerminating(ApiException e) {
        return e.details() != null && e.details().causes().stream()
                .anyMatch(cause -> cause.reason().equals("NamespaceTerminating"));
    }

    private static boolean isTerminating(JsonNode namespace) {
        return Meta.isBeingDeleted(namespace) || "Terminating".equals(namespace.path("status").path("phase").asText());
    }
}
