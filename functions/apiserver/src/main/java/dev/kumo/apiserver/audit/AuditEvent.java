package dev.kumo.apiserver.audit;

import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.RequestInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One audited request at Kubernetes' {@code Metadata} level (an {@code audit.k8s.io/v1} Event without bodies):
 * who did what to which object, from where, with which outcome and when.
 *
 * @param user the authenticated user; {@link UserInfo#ANONYMOUS} when authentication failed
 */
public record AuditEvent(String auditId, String stage, String requestUri, RequestInfo request, UserInfo user,
                         String sourceIp, String userAgent, int responseCode, String responseMessage,
                         Instant received, Instant completed) {

    /**
     * What Kubernetes records as the response message of a request whose authentication failed
     * ({@code getAuthMethods} in the apiserver's audit filter): the methods the request attempted.
     */
    public static String authenticationFailedMessage(String authorizationHeader) {
        List<String> methods = new ArrayList<>();
        String[] parts = authorizationHeader == null ? new String[0] : authorizationHeader.strip().split(" ");
        if (parts.length > 1 && parts[0].toLowerCase(Locale.ROOT).equals("basic")) {
            methods.add("basic");
        }
        if (parts.length > 1 && parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            methods.add("bearer");
        }
        return methods.isEmpty() ? "Authentication failed, no credentials provided"
                : "Authentication failed, attempted: " + String.join(", ", methods);
    }
}
