package dev.kumo.controllers.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;

import java.time.Duration;
import java.util.Optional;

/** The reconciler of the serviceaccount loop: dispatches its three kinds of key (see {@link ServiceAccountController}). */
final class ServiceAccountReconciler implements Reconciler {
    /** How soon an object that changed under a write is looked at again. */
    static final Duration CHANGED_MEANWHILE = Duration.ofSeconds(1);

    private final KubeClient client;
    private final DefaultServiceAccounts accounts;
    private final RootCaConfigMaps rootCa;
    private final LegacyTokenSecrets tokens;

    ServiceAccountReconciler(KubeClient client, String rootCaBundle) {
        this.client = client;
        this.accounts = new DefaultServiceAccounts(client);
        this.rootCa = rootCaBundle.isEmpty() ? null : new RootCaConfigMaps(client, rootCaBundle);
        this.tokens = new LegacyTokenSecrets(client, rootCaBundle);
    }

    @Override
    public Result reconcile(ObjectKey key) {
        return switch (key.resource()) {
            case ServiceAccountController.NAMESPACES -> namespace(key.name());
            case ServiceAccountController.SECRETS -> result(tokens.sync(key.namespace(), key.name()));
            case ServiceAccountController.SERVICE_ACCOUNTS ->
                    result(tokens.syncServiceAccount(key.namespace(), key.name()));
            default -> throw new IllegalArgumentException("not a key of the serviceaccount loop: " + key);
        };
    }

    /** An active namespace has its default ServiceAccount and its root CA ConfigMap; others need nothing. */
    private Result namespace(String name) {
        Optional<ObjectNode> namespace = client.get(ResourceType.NAMESPACES, "", name);
        if (namespace.isEmpty() || Meta.isBeingDeleted(namespace.get())
                || !"Active".equals(namespace.get().path("status").path("phase").asText("Active"))) {
            return Result.DONE;
        }
        accounts.ensure(name);
        if (rootCa != null && !rootCa.ensure(name)) {
            return Result.requeueAfter(CHANGED_MEANWHILE);
        }
        return Result.DONE;
    }

    private static Result result(LegacyTokenSecrets.Outcome outcome) {
        return outcome == LegacyTokenSecrets.Outcome.DONE ? Result.DONE : Result.requeueAfter(CHANGED_MEANWHILE);
    }
}
