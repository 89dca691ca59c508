package dev.kumo.controllers.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube's serviceaccounts controller for one active namespace: the {@code default} ServiceAccount exists (pods that
 * name no account run as it). A create that loses to another, or to the namespace's deletion, is not an error.
 */
final class DefaultServiceAccounts {
    static final String DEFAULT = "default";
    private static final Logger LOG = LoggerFactory.getLogger(DefaultServiceAccounts.class);

    private final KubeClient client;

    DefaultServiceAccounts(KubeClient client) {
        this.client = client;
    }

    void ensure(String namespace) {
        if (client.get(ResourceType.SERVICE_ACCOUNTS, namespace, DEFAULT).isPresent()) {
            return;
        }
        ObjectNode account = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "ServiceAccount");
        account.putObject("metadata").put("name", DEFAULT);
        try {
            client.create(ResourceType.SERVICE_ACCOUNTS, namespace, account);
            LOG.atInfo().addKeyValue("namespace", namespace).addKeyValue("serviceAccount", DEFAULT)
                    .log("created service account");
        } catch (ApiError e) {
            if (!ServiceAccountController.createLostHarmlessly(e)) {
                throw e;
            }
        }
    }
}
