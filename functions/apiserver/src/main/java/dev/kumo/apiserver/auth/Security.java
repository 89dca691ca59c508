package dev.kumo.apiserver.auth;

import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.audit.AuditSink;
import dev.kumo.apiserver.auth.authn.RequestAuthenticator;
import dev.kumo.apiserver.auth.authz.Authorizer;

/**
 * The API server's guards, in the order a request meets them: who sends it, whether they may, what admission makes
 * of a write, and the audit record of it. The hosts build them for their environment ({@code ServerFactory}).
 */
public record Security(RequestAuthenticator authenticator, Authorizer authorizer, AdmissionPlugin admission,
                       AuditSink audit) {
}
