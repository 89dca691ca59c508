package dev.kumo.apiserver.auth;

import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.audit.AuditSink;
import dev.kumo.apiserver.auth.authn.RequestAuthenticator;
import dev.kumo.apiserver.auth.authz.Authorizer;
import dev.kumo.apiserver.auth.tokens.TokenIssuer;

/**
 * The API server's guards, in the order a request meets them: who sends it, whether they may, what admission makes
 * of a write, and the audit record of it. The hosts build them for their environment ({@code ServerFactory}).
 *
 * @param tokens issues service-account tokens and node credentials; null when the server has no signing key
 */
public record Security(RequestAuthenticator authenticator, Authorizer authorizer, AdmissionPlugin admission,
                       AuditSink audit, TokenIssuer tokens) {

    /** Guards of a server that issues no tokens. */
    public Security(RequestAuthenticator authenticator, Authorizer authorizer, AdmissionPlugin admission,
                    AuditSink audit) {
        this(authenticator, authorizer, admission, audit, null);
    }
}
