package dev.kumo.controllers.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The loop's half of kube's legacy token controller. Secrets of type {@code kubernetes.io/service-account-token}
 * must name an existing service account (by the {@code kubernetes.io/service-account.name} annotation, and its uid
 * when {@code kubernetes.io/service-account.uid} is set): one whose account is gone, or was replaced by another of
 * the same name, is deleted (uid precondition), as kube does. One that lacks {@code token}, {@code namespace}, the
 * current {@code ca.crt} or the uid annotation is written back unchanged: the API server, which holds the signing
 * key, fills those in on every create and update of such a Secret ({@code TokenSecrets} admission), so the loop
 * never signs anything.
 */
final class LegacyTokenSecrets {
    static final String TYPE = "kubernetes.io/service-account-token";
    static final String NAME_ANNOTATION = "kubernetes.io/service-account.name";
    static final String UID_ANNOTATION = "kubernetes.io/service-account.uid";
    private static final Logger LOG = LoggerFactory.getLogger(LegacyTokenSecrets.class);

    /** What a sync of one Secret came to. */
    enum Outcome { DONE, CHANGED_MEANWHILE }

    private final KubeClient client;
    private final String caBundle;

    LegacyTokenSecrets(KubeClient client, String caBundle) {
        this.client = client;
        this.caBundle = caBundle;
    }

    Outcome sync(String namespace, String name) {
        Optional<ObjectNode> found = client.get(ResourceType.SECRETS, namespace, name);
        if (found.isEmpty() || !TYPE.equals(found.get().path("type").asText())
                || Meta.isBeingDeleted(found.get())) {
            return Outcome.DONE;
        }
        ObjectNode secret = found.get();
        String accountName = secret.path("metadata").path("annotations").path(NAME_ANNOTATION).asText("");
        if (accountName.isEmpty()) {
            return Outcome.DONE;
        }
        if (orphaned(secret, client.get(ResourceType.SERVICE_ACCOUNTS, namespace, accountName))) {
            return delete(secret, accountName);
        }
        if (!needsData(secret)) {
            return Outcome.DONE;
        }
        ObjectNode written;
        try {
            written = client.update(ResourceType.SECRETS, secret);
        } catch (ApiError e) {
            if (e.isConflict() || e.isNotFound()) {
                return Outcome.CHANGED_MEANWHILE;
            }
            throw e;
        }
        if (needsData(written)) {
            // Only an API server without a signing key leaves it so: nothing this loop can do about it.
            LOG.atWarn().addKeyValue("namespace", namespace).addKeyValue("secret", name)
                    .log("the API did not fill the service-account token secret (does it have a signing key?)");
        } else {
            LOG.atInfo().addKeyValue("namespace", namespace).addKeyValue("secret", name)
                    .addKeyValue("serviceAccount", accountName).log("service-account token secret filled");
        }
        return Outcome.DONE;
    }

    /** Deletes the token Secrets of a service account that no longer exists (or exists with another uid). */
    Outcome syncServiceAccount(String namespace, String accountName) {
        Optional<ObjectNode> account = client.get(ResourceType.SERVICE_ACCOUNTS, namespace, accountName);
        Outcome outcome = Outcome.DONE;
        for (ObjectNode secret : client.list(ResourceType.SECRETS, namespace, "", "type=" + TYPE)) {
            if (secret.path("metadata").path("annotations").path(NAME_ANNOTATION).asText("").equals(accountName)
                    && orphaned(secret, account) && delete(secret, accountName) == Outcome.CHANGED_MEANWHILE) {
                outcome = Outcome.CHANGED_MEANWHILE;
            }
        }
        return outcome;
    }

    /** Whether the Secret's account is missing, or is another one than the uid annotation names (if it does). */
    private static boolean orphaned(ObjectNode secret, Optional<ObjectNode> account) {
        String uid = secret.path("metadata").path("annotations").path(UID_ANNOTATION).asText("");
        return account.isEmpty() || !uid.isEmpty() && !uid.equals(Meta.uid(account.get()));
    }

    private Outcome delete(ObjectNode secret, String accountName) {
        try {
            client.delete(ResourceType.SECRETS, Meta.namespace(secret), Meta.name(secret), null, Meta.uid(secret));
        } catch (ApiError e) {
            if (e.isConflict()) {
                return Outcome.CHANGED_MEANWHILE; // replaced by another Secret of the same name
            }
            throw e;
        }
        LOG.atInfo().addKeyValue("namespace", Meta.namespace(secret)).addKeyValue("secret", Meta.name(secret))
                .addKeyValue("serviceAccount", accountName)
                .log("deleted a token secret whose service account does not exist");
        return Outcome.DONE;
    }

    /** kube's {@code generateTokenIfNeeded} test, plus the uid annotation it sets. */
    private boolean needsData(ObjectNode secret) {
        JsonNode data = secret.path("data");
        boolean needsCa = !caBundle.isEmpty() && !Base64.getEncoder()
                .encodeToString(caBundle.getBytes(StandardCharsets.UTF_8)).equals(data.path("ca.crt").asText(""));
        return needsCa || data.path("namespace").asText("").isEmpty() || data.path("token").asText("").isEmpty()
                || secret.path("metadata").path("annotations").path(UID_ANNOTATION).asText("").isEmpty();
    }
}
