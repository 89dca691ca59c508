package dev.kumo.apiserver.controllers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.admission.serviceaccount.ServiceAccountAdmission;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.resources.ResourceRegistry;

/**
 * Kubernetes' serviceaccounts controller: every active namespace has a {@code default} ServiceAccount, which pods
 * that name none run as.
 */
public final class ServiceAccountsReconciler extends NamespaceReconciler {
    private final ResourceDefinition serviceAccounts;

    public ServiceAccountsReconciler(GenericRegistry registry, ResourceRegistry resources) {
        super(registry, resources);
        this.serviceAccounts = core(resources, "serviceaccounts");
    }

    @Override
    void reconcileActive(String namespace) {
        ObjectNode account = JsonNodeFactory.instance.objectNode();
        account.putObject("metadata").put("name", ServiceAccountAdmission.DEFAULT_SERVICE_ACCOUNT);
        createIfMissing(serviceAccounts, namespace, account);
    }
}
