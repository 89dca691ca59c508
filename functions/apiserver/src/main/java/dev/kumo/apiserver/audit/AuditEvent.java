package dev.kumo.apiserver.audit;

import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.RequestInfo;

import java.time.Instant;

/**
 * One audited request at Kubernetes' {@code Metadata} level (an {@code audit.k8s.io/v1} Event without bodies):
 * who did what to which object, from where, with which outcome and when.
 *
 * @param user the authenticated user; {@link UserInfo#ANONYMOUS} when authentication failed
 */
public record AuditEvent(String auditId, String stage, String requestUri, RequestInfo request, UserInfo user,
                         String sourceIp, String userAgent, int responseCode, String responseMessage,
                         Instant received, Instant completed) {
}
