package dev.kumo.local.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Which audit events {@code ./kumo audit} shows. Every criterion that is set must hold; unset ones (null) match
 * everything.
 *
 * @param resource {@code pods}, {@code pods/log} (with the subresource) or {@code deployments.apps} (with the group)
 * @param since    events whose stage ended at or after this instant
 */
record AuditFilter(String user, String verb, String resource, String namespace, Instant since) {

    boolean matches(JsonNode event) {
        return (user == null || user.equals(event.path("user").path("username").asText()))
                && (verb == null || verb.toLowerCase(Locale.ROOT).equals(event.path("verb").asText()))
                && (resource == null || resourceMatches(event.path("objectRef")))
                && (namespace == null || namespace.equals(event.path("objectRef").path("namespace").asText()))
                && (since == null || !stageTime(event).isBefore(since));
    }

    private boolean resourceMatches(JsonNode ref) {
        String name = resource;
        String subresource = null;
        int slash = name.indexOf('/');
        if (slash >= 0) {
            subresource = name.substring(slash + 1);
            name = name.substring(0, slash);
        }
        String group = null;
        int dot = name.indexOf('.');
        if (dot >= 0) {
            group = name.substring(dot + 1);
            name = name.substring(0, dot);
        }
        return name.equals(ref.path("resource").asText())
                && (subresource == null || subresource.equals(ref.path("subresource").asText()))
                && (group == null || group.equals(ref.path("apiGroup").asText()));
    }

    private static Instant stageTime(JsonNode event) {
        try {
            return Instant.parse(event.path("stageTimestamp").asText());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
