package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.errors.ApiException;

/** The one place where errors become Kubernetes {@code Status} objects. */
public final class StatusBuilder {
    private StatusBuilder() {
    }

    public static ObjectNode status(ObjectMapper mapper, ApiException error) {
        ObjectNode status = mapper.createObjectNode();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", error.getMessage()).put("reason", error.reason());
        ApiException.Details details = error.details();
        if (details != null) {
            ObjectNode node = status.putObject("details");
            if (details.name() != null && !details.name().isEmpty()) {
                node.put("name", details.name());
            }
            if (details.group() != null && !details.group().isEmpty()) {
                node.put("group", details.group());
            }
            if (details.kind() != null) {
                node.put("kind", details.kind());
            }
            if (!details.causes().isEmpty()) {
                ArrayNode causes = node.putArray("causes");
                details.causes().forEach(cause -> causes.addObject().put("reason", cause.reason())
                        .put("message", cause.message()).put("field", cause.field()));
            }
            if (details.retryAfterSeconds() != null) {
                node.put("retryAfterSeconds", details.retryAfterSeconds());
            }
        }
        status.put("code", error.code());
        return status;
    }

    public static ObjectNode success(ObjectMapper mapper, String name, String group, String kind, String uid) {
        ObjectNode status = mapper.createObjectNode();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        ObjectNode details = status.putObject("details");
        details.put("name", name).put("group", group).put("kind", kind);
        if (uid != null) {
            details.put("uid", uid);
        }
        return status;
    }
}
