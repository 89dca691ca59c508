package dev.kumo.apiserver.auth;

import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.audit.AuditSink;
import dev.kumo.apiserver.auth.authn.RequestAuthenticator;
import dev.kumo.apiserver.auth.authz.Authorizer;
import dev.kumo.apiserver.auth.rbac.PolicySource;
import dev.kumo.apiserver.auth.tokens.TokenIssuer;

/**
 * The API server's guards, in the order a request meets them: who sends it, whether they may, what admission makes
 * of a write, and the audit record of it. The hosts build them for their environment ({@code ServerFactory}).
 *
 * @param tokens       issues service-account tokens and node credentials; null when the server has no signing key
 * @param rbacPolicies the RBAC policy the authorizer decides by, shared with whatever else reads it (aggregated
 *                     ClusterRoles served with their rules), so that one process keeps one copy fresh
 */
public record Security(RequestAuthenticator authenticator, Authorizer authorizer, AdmissionPlugin admission,
                       AuditSink audit, TokenIssuer tokens, PolicySource rbacPolicies) {

    public Security {
        java.util.Objects.requireNonNull(rbacPolicies, "rbacPolicies");
    }
}
