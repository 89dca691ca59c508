package dev.kumo.apiserver.auth.authn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.tokens.JwtVerifier;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims.ObjectRef;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Service-account tokens (kube-apiserver's JWT authenticator with its bound-token validator): a token signed by
 * the API server's key, for one of the API's audiences, in date, whose service account still exists with the same
 * uid, and whose bound pod or secret does too. A bound object deleted more than a minute ago (a pod awaiting
 * removal) ends the token, as in Kubernetes.
 */
public final class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
    public static final String POD_NAME_KEY = "authentication.kubernetes.io/pod-name";
    public static final String POD_UID_KEY = "authentication.kubernetes.io/pod-uid";
    public static final String NODE_NAME_KEY = "authentication.kubernetes.io/node-name";
    public static final String NODE_UID_KEY = "authentication.kubernetes.io/node-uid";
    public static final String CREDENTIAL_ID_KEY = "authentication.kubernetes.io/credential-id";
    /** go-jose's DefaultLeeway: objects deleted before now minus this are gone for the token. */
    private static final long DELETION_LEEWAY_SECONDS = 60;

    private final JwtVerifier verifier;
    private final Store store;
    private final Clock clock;

    public ServiceAccountTokenAuthenticator(JwtVerifier verifier, Store store, Clock clock) {
        this.verifier = verifier;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Optional<UserInfo> authenticate(String token) {
        Optional<JWTClaimsSet> verified = verifier.verify(token);
        if (verified.isEmpty()) {
            return Optional.empty();
        }
        JWTClaimsSet claims = verified.get();
        ServiceAccountClaims bound = boundClaims(claims);
        if (!bound.username().equals(claims.getSubject())) {
            throw new InvalidTokenException("service account token subject " + claims.getSubject()
                    + " does not match its " + ServiceAccountClaims.CLAIM + " claim (" + bound.username() + ")");
        }
        Instant deletedBefore = clock.instant().minusSeconds(DELETION_LEEWAY_SECONDS);
        String namespace = bound.namespace();
        ObjectNode serviceAccount = current("serviceaccounts", namespace, bound.serviceAccount(), deletedBefore)
                .orElseThrow(() -> new InvalidTokenException("service account " + namespace + "/"
                        + bound.serviceAccount().name() + " has been deleted"));
        if (!Meta.uid(serviceAccount).equals(bound.serviceAccount().uid())) {
            throw new InvalidTokenException("service account UID (" + Meta.uid(serviceAccount)
                    + ") does not match claim (" + bound.serviceAccount().uid() + ")");
        }
        if (bound.secret() != null) {
            requireBound("secrets", namespace, bound.secret(), deletedBefore);
        }
        if (bound.pod() != null) {
            requireBound("pods", namespace, bound.pod(), deletedBefore);
        }
        return Optional.of(userInfo(bound, claims.getJWTID()));
    }

    private static ServiceAccountClaims boundClaims(JWTClaimsSet claims) {
        try {
            return ServiceAccountClaims.parse(claims);
        } catch (IllegalArgumentException | ParseException e) {
            throw new InvalidTokenException("malformed service account token: " + e.getMessage(), e);
        }
    }

    /** The bound object must exist, not have been deleted over a minute ago, and still have the token's uid. */
    private void requireBound(String resource, String namespace, ObjectRef ref, Instant deletedBefore) {
        ObjectNode object = current(resource, namespace, ref, deletedBefore)
                .orElseThrow(() -> new InvalidTokenException("service account token has been invalidated: bound "
                        + resource + " " + namespace + "/" + ref.name() + " is gone"));
        if (!Meta.uid(object).equals(ref.uid())) {
            throw new InvalidTokenException(resource + " UID (" + Meta.uid(object) + ") does not match service "
                    + "account " + resource + " ref claim (" + ref.uid() + ")");
        }
    }

    /** The object, unless missing or deleted before {@code deletedBefore}. */
    private Optional<ObjectNode> current(String resource, String namespace, ObjectRef ref, Instant deletedBefore) {
        return store.get(new ObjectKey(resource, namespace, ref.name())).map(StoredObject::value)
                .filter(object -> !deletedBefore(object, deletedBefore));
    }

    private static boolean deletedBefore(ObjectNode object, Instant limit) {
        String deletion = object.path("metadata").path("deletionTimestamp").asText("");
        if (deletion.isEmpty()) {
            return false;
        }
        try {
            return Instant.parse(deletion).isBefore(limit);
        } catch (DateTimeParseException e) {
            return true; // a timestamp we cannot read: treat the object as going away, as an expiry would
        }
    }

    /** Kubernetes' ServiceAccountInfo.UserInfo(). */
    private static UserInfo userInfo(ServiceAccountClaims bound, String jwtId) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (bound.pod() != null) {
            extra.put(POD_NAME_KEY, List.of(bound.pod().name()));
            extra.put(POD_UID_KEY, List.of(bound.pod().uid()));
        }
        if (bound.node() != null) {
            extra.put(NODE_NAME_KEY, List.of(bound.node().name()));
            if (!bound.node().uid().isEmpty()) {
                extra.put(NODE_UID_KEY, List.of(bound.node().uid()));
            }
        }
        if (jwtId != null && !jwtId.isEmpty()) {
            extra.put(CREDENTIAL_ID_KEY, List.of("JTI=" + jwtId));
        }
        return new UserInfo(bound.username(), bound.serviceAccount().uid(),
                List.of(UserInfo.SERVICE_ACCOUNTS_GROUP, UserInfo.SERVICE_ACCOUNTS_GROUP + ":" + bound.namespace()),
                extra);
    }
}
