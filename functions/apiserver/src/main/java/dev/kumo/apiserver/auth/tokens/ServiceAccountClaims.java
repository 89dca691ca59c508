package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.kumo.apiserver.auth.UserInfo;

import java.text.ParseException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The private {@code kubernetes.io} claim of a service-account token, as kube-apiserver writes it: the namespace,
 * the service account, and the pod or secret the token is bound to (with the pod's node when known). Each
 * reference carries the object's uid, so that a token dies with its object even if one of the same name returns.
 */
public record ServiceAccountClaims(String namespace, ObjectRef serviceAccount, ObjectRef pod, ObjectRef secret,
                                   ObjectRef node) {
    public static final String CLAIM = "kubernetes.io";

    /** A name and uid, Kubernetes' {@code ref} in the claim. */
    public record ObjectRef(String name, String uid) {
        /** Kubernetes' {@code ref}: both fields omitted when empty (a pod's node may be known by name only). */
        Map<String, Object> toClaim() {
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("name", name);
            if (!uid.isEmpty()) {
                claim.put("uid", uid);
            }
            return claim;
        }

        static ObjectRef fromClaim(Object value, String field) {
            if (value == null) {
                return null;
            }
            if (!(value instanceof Map<?, ?> map) || !(map.get("name") instanceof String name) || name.isEmpty()) {
                throw new IllegalArgumentException("the " + CLAIM + " claim's " + field + " has no name");
            }
            Object uid = map.get("uid");
            if (uid != null && !(uid instanceof String)) {
                throw new IllegalArgumentException("the " + CLAIM + " claim's " + field + " has a uid that is not "
                        + "a string");
            }
            return new ObjectRef(name, uid == null ? "" : (String) uid);
        }
    }

    public static ServiceAccountClaims forServiceAccount(String namespace, ObjectRef serviceAccount) {
        return new ServiceAccountClaims(namespace, serviceAccount, null, null, null);
    }

    public ServiceAccountClaims boundToPod(ObjectRef boundPod, ObjectRef podNode) {
        return new ServiceAccountClaims(namespace, serviceAccount, boundPod, null, podNode);
    }

    public ServiceAccountClaims boundToSecret(ObjectRef boundSecret) {
        return new ServiceAccountClaims(namespace, serviceAccount, null, boundSecret, null);
    }

    /** {@code system:serviceaccount:<namespace>:<name>}, the token's subject and the user's name. */
    public String username() {
        return UserInfo.SERVICE_ACCOUNT_PREFIX + namespace + ":" + serviceAccount.name();
    }

    Map<String, Object> toClaim() {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("namespace", namespace);
        claim.put("serviceaccount", serviceAccount.toClaim());
        if (pod != null) {
            claim.put("pod", pod.toClaim());
        }
        if (secret != null) {
            claim.put("secret", secret.toClaim());
        }
        if (node != null) {
            claim.put("node", node.toClaim());
        }
        return claim;
    }

    /** Reads a verified token's claim; a missing or malformed one is an exception saying what is wrong. */
    public static ServiceAccountClaims parse(JWTClaimsSet claims) throws ParseException {
        return fromClaim(claims.getJSONObjectClaim(CLAIM));
    }

    static ServiceAccountClaims fromClaim(Map<String, Object> claim) {
        if (claim == null) {
            throw new IllegalArgumentException("the token has no " + CLAIM + " claim");
        }
        if (!(claim.get("namespace") instanceof String namespace) || namespace.isEmpty()) {
            throw new IllegalArgumentException("the " + CLAIM + " claim has no namespace");
        }
        ObjectRef serviceAccount = ObjectRef.fromClaim(claim.get("serviceaccount"), "serviceaccount");
        if (serviceAccount == null) {
            throw new IllegalArgumentException("the " + CLAIM + " claim names no service account");
        }
        return new ServiceAccountClaims(namespace, serviceAccount, ObjectRef.fromClaim(claim.get("pod"), "pod"),
                ObjectRef.fromClaim(claim.get("secret"), "secret"), ObjectRef.fromClaim(claim.get("node"), "node"));
    }
}
