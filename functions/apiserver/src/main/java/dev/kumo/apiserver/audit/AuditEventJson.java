package dev.kumo.apiserver.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.RequestInfo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * An {@link AuditEvent} as Kubernetes' log backend writes it: an {@code audit.k8s.io/v1} {@code Event} at level
 * {@code Metadata}, fields in the Go struct's order, empty fields left out ({@code omitempty}), timestamps with
 * microseconds ({@code metav1.MicroTime}).
 */
public final class AuditEventJson {
    public static final String API_VERSION = "audit.k8s.io/v1";
    /** {@code metav1.MicroTime}'s RFC 3339 form: always six fractional digits, UTC. */
    public static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private AuditEventJson() {
    }

    public static ObjectNode toJson(ObjectMapper mapper, AuditEvent event) {
        ObjectNode json = mapper.createObjectNode();
        json.put("kind", "Event").put("apiVersion", API_VERSION).put("level", "Metadata")
                .put("auditID", event.auditId()).put("stage", event.stage()).put("requestURI", event.requestUri())
                .put("verb", event.request().verb());
        user(json.putObject("user"), event);
        if (event.sourceIp() != null && !event.sourceIp().isEmpty()) {
            json.putArray("sourceIPs").add(event.sourceIp());
        }
        putIfPresent(json, "userAgent", event.userAgent());
        if (event.request().resourceRequest()) {
            objectRef(json.putObject("objectRef"), event.request());
        }
        ObjectNode status = json.putObject("responseStatus");
        status.putObject("metadata");
        if (event.responseCode() >= 400 && event.responseCode() != 401) {
            status.put("status", "Failure");
        }
        putIfPresent(status, "message", event.responseMessage());
        status.put("code", event.responseCode());
        json.put("requestReceivedTimestamp", microTime(event.received()));
        json.put("stageTimestamp", microTime(event.completed()));
        return json;
    }

    public static String microTime(Instant instant) {
        return MICRO_TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /** A request whose authentication failed has no user yet: Kubernetes writes {@code "user":{}}. */
    private static void user(ObjectNode user, AuditEvent event) {
        UserInfo info = event.user();
        if (event.responseCode() == 401 || info == null) {
            return;
        }
        user.put("username", info.name());
        putIfPresent(user, "uid", info.uid());
        if (!info.groups().isEmpty()) {
            ArrayNode groups = user.putArray("groups");
            info.groups().forEach(groups::add);
        }
        if (!info.extra().isEmpty()) {
            ObjectNode extra = user.putObject("extra");
            info.extra().forEach((key, values) -> {
                ArrayNode list = extra.putArray(key);
                values.forEach(list::add);
            });
        }
    }

    private static void objectRef(ObjectNode ref, RequestInfo request) {
        putIfPresent(ref, "resource", request.resource());
        putIfPresent(ref, "namespace", request.namespace());
        putIfPresent(ref, "name", request.name());
        putIfPresent(ref, "apiGroup", request.apiGroup());
        putIfPresent(ref, "apiVersion", request.apiVersion());
        putIfPresent(ref, "subresource", request.subresource());
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}
