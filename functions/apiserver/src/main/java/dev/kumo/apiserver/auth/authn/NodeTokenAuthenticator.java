package dev.kumo.apiserver.auth.authn;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.tokens.JwtVerifier;
import dev.kumo.apiserver.registry.Names;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Node credentials, kumo's stand-in for kubelet client certificates (API Gateway passes no client certificates):
 * tokens of the node-credential issuer whose subject is {@code system:node:<name>}. The user is that name in group
 * {@code system:nodes}, which is what the node authorizer and NodeRestriction look for.
 */
public final class NodeTokenAuthenticator implements TokenAuthenticator {
    private final JwtVerifier verifier;

    public NodeTokenAuthenticator(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    /** Whether {@code name} can name a node (a DNS-1123 subdomain of at most 253 characters). */
    public static boolean isNodeName(String name) {
        return Names.validateSubdomain("metadata.name", name).isEmpty();
    }

    @Override
    public Optional<UserInfo> authenticate(String token) {
        Optional<JWTClaimsSet> verified = verifier.verify(token);
        if (verified.isEmpty()) {
            return Optional.empty();
        }
        String subject = verified.get().getSubject();
        String node = subject.startsWith(UserInfo.NODE_USER_PREFIX)
                ? subject.substring(UserInfo.NODE_USER_PREFIX.length()) : "";
        if (!isNodeName(node)) {
            throw new InvalidTokenException("node credential subject " + subject + " names no valid node");
        }
        String jwtId = verified.get().getJWTID();
        return Optional.of(new UserInfo(subject, "", List.of(UserInfo.NODES_GROUP), jwtId == null ? Map.of()
                : Map.of(ServiceAccountTokenAuthenticator.CREDENTIAL_ID_KEY, List.of("JTI=" + jwtId))));
    }
}
