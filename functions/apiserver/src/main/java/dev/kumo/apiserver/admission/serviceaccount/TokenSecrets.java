package dev.kumo.apiserver.admission.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.admission.AdmissionRequest;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims.ObjectRef;
import dev.kumo.apiserver.auth.tokens.TokenIssuer;
import dev.kumo.apiserver.strategy.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The signing half of Kubernetes' legacy token controller, in the API server because the signing key stays here: a
 * Secret of type {@code kubernetes.io/service-account-token} naming an existing service account (and, if it says
 * one, that account's uid) gets, on create or update, whatever of {@code token}, {@code ca.crt} and {@code namespace}
 * it lacks (a {@code ca.crt} other than the API's bundle is replaced) and the {@code kubernetes.io/service-account.uid}
 * annotation. The token is signed by the API's key and bound to the Secret and the account by uid, so deleting
 * either revokes it; it is valid for {@link #LIFETIME} (Kubernetes' legacy tokens never expire; kumo's verifier
 * requires an expiry). A Secret whose account does not exist is left as it is: the control loop
 * ({@code dev.kumo.controllers.serviceaccount}) deletes it, as kube-controller-manager does, and asks for the
 * missing data by updating the Secret.
 */
public final class TokenSecrets implements AdmissionPlugin {
    public static final String TYPE = "kubernetes.io/service-account-token";
    public static final String NAME_ANNOTATION = "kubernetes.io/service-account.name";
    public static final String UID_ANNOTATION = "kubernetes.io/service-account.uid";
    public static final Duration LIFETIME = Duration.ofDays(3650);
    private static final Logger LOG = LoggerFactory.getLogger(TokenSecrets.class);

    private final Store store;
    private final TokenIssuer issuer;
    private final String caBundle;

    /** @param caBundle the PEM bundle clients trust for the API; empty leaves {@code ca.crt} alone */
    public TokenSecrets(Store store, TokenIssuer issuer, String caBundle) {
        this.store = store;
        this.issuer = issuer;
        this.caBundle = caBundle;
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (request.operation() == AdmissionRequest.Operation.DELETE || !request.is("", "secrets")
                || !request.subresource().isEmpty() || !TYPE.equals(request.object().path("type").asText())) {
            return;
        }
        ObjectNode secret = request.object();
        JsonNode annotations = secret.path("metadata").path("annotations");
        String accountName = annotations.path(NAME_ANNOTATION).asText("");
        String accountUid = annotations.path(UID_ANNOTATION).asText("");
        if (accountName.isEmpty()) {
            return; // validation refuses it
        }
        Optional<ObjectNode> account = store.get(new ObjectKey("serviceaccounts", request.namespace(), accountName))
                .map(StoredObject::value);
        if (account.isEmpty() || !accountUid.isEmpty() && !accountUid.equals(Meta.uid(account.get()))) {
            return;
        }
        ObjectNode data = Json.object(secret, "data");
        String ca = base64(caBundle);
        boolean needsCa = !caBundle.isEmpty() && !ca.equals(data.path("ca.crt").asText(""));
        boolean needsNamespace = data.path("namespace").asText("").isEmpty();
        boolean needsToken = data.path("token").asText("").isEmpty();
        if (!needsCa && !needsNamespace && !needsToken && !accountUid.isEmpty()) {
            return;
        }
        if (needsCa) {
            data.put("ca.crt", ca);
        }
        if (needsNamespace) {
            data.put("namespace", base64(request.namespace()));
        }
        if (needsToken && !request.dryRun()) {
            ServiceAccountClaims claims = ServiceAccountClaims.forServiceAccount(request.namespace(),
                    new ObjectRef(accountName, Meta.uid(account.get())))
                    .boundToSecret(new ObjectRef(Meta.name(secret), Meta.uid(secret)));
            TokenIssuer.IssuedToken token = issuer.serviceAccountToken(claims, issuer.settings().apiAudiences(),
                    LIFETIME.toSeconds());
            data.put("token", base64(token.token()));
            LOG.atInfo().addKeyValue("namespace", request.namespace()).addKeyValue("secret", Meta.name(secret))
                    .addKeyValue("serviceAccount", accountName).addKeyValue("tokenId", token.id())
                    .log("service-account token secret filled");
        }
        Json.object(Json.object(secret, "metadata"), "annotations").put(UID_ANNOTATION, Meta.uid(account.get()));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
