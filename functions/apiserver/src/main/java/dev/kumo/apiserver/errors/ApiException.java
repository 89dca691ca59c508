package dev.kumo.apiserver.errors;

import java.util.List;

/**
 * A request that ends in a Kubernetes {@code Status} failure: HTTP code, machine-readable reason, a message that
 * says what is wrong, and details naming the object and, for invalid objects, each bad field.
 */
public final class ApiException extends RuntimeException {
    private final int code;
    private final String reason;
    private final Details details;

    public record Cause(String reason, String message, String field) {
    }

    public record Details(String name, String group, String kind, List<Cause> causes, Integer retryAfterSeconds) {
        public Details {
            causes = causes == null ? List.of() : List.copyOf(causes);
        }
    }

    public ApiException(int code, String reason, String message, Details details) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.details = details;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public Details details() {
        return details;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null);
    }

    public static ApiException notFound(String group, String kind, String resource, String name) {
        return new ApiException(404, "NotFound", qualified(resource, group) + " \"" + name + "\" not found",
                new Details(name, group, resource, null, null));
    }

    public static ApiException notFoundPath(String message) {
        return new ApiException(404, "NotFound", message, null);
    }

    public static ApiException alreadyExists(String group, String resource, String name) {
        return new ApiException(409, "AlreadyExists", qualified(resource, group) + " \"" + name + "\" already exists",
                new Details(name, group, resource, null, null));
    }

    public static ApiException conflict(String group, String resource, String name, String why) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(resource, group)
                + " \"" + name + "\": " + why, new Details(name, group, resource, null, null));
    }

    public static ApiException invalid(String group, String kind, String name, List<FieldError> errors) {
        StringBuilder message = new StringBuilder(qualified(kind, group)).append(" \"").append(name)
                .append("\" is invalid: ");
        for (int i = 0; i < errors.size(); i++) {
            message.append(i == 0 ? "" : ", ").append(errors.get(i).toString());
        }
        List<Cause> causes = errors.stream()
                .map(e -> new Cause(e.type().reason, e.detailMessage(), e.field())).toList();
        return new ApiException(422, "Invalid", message.toString(), new Details(name, group, kind, causes, null));
    }

    public static ApiException gone(String message) {
        return new ApiException(410, "Expired", message, null);
    }

    public static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "MethodNotAllowed", message, null);
    }

    public static ApiException unsupportedMediaType(String contentType, List<String> supported) {
        return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                + "accepted media types include: " + String.join(", ", supported)
                + (contentType == null ? "" : " (got \"" + contentType + "\")"), null);
    }

    public static ApiException notAcceptable(String accept) {
        return new ApiException(406, "NotAcceptable", "only the following media types are accepted: "
                + "application/json, application/yaml (got \"" + accept + "\")", null);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "RequestEntityTooLarge", message, null);
    }

    public static ApiException timeout(String message, int retryAfterSeconds) {
        return new ApiException(504, "Timeout", message, new Details(null, null, null, null, retryAfterSeconds));
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized", null);
    }

    /** Kubernetes' wording: {@code pods "x" is forbidden: User "u" cannot get resource "pods" ...: reason}. */
    public static ApiException forbidden(String group, String resource, String name, String message) {
        return new ApiException(403, "Forbidden", message, new Details(name, group, resource, null, null));
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "InternalError", message, null);
    }

    private static String qualified(String resource, String group) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }
}
