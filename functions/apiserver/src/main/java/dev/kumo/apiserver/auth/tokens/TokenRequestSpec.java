package dev.kumo.apiserver.auth.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.errors.FieldError;

import java.util.ArrayList;
import java.util.List;

/**
 * The spec of an {@code authentication.k8s.io/v1 TokenRequest}: audiences (empty means the API's own), lifetime and
 * the object the token is bound to. Parsing rejects what Kubernetes' decoder would (400); {@link #validate} applies
 * Kubernetes' {@code ValidateTokenRequest} (422).
 */
public record TokenRequestSpec(List<String> audiences, long expirationSeconds, BoundObjectRef boundObjectRef) {
    public static final String API_VERSION = "authentication.k8s.io/v1";
    public static final String KIND = "TokenRequest";
    public static final String GROUP = "authentication.k8s.io";
    /** Kubernetes' MinTokenAgeSec. */
    public static final long MIN_EXPIRATION_SECONDS = 600;
    /** Kubernetes' upper bound, 2^32 seconds; longer requests are invalid, shorter ones are capped by the server. */
    public static final long MAX_EXPIRATION_SECONDS = 1L << 32;
    /** Kubernetes' default for spec.expirationSeconds. */
    public static final long DEFAULT_EXPIRATION_SECONDS = 3600;

    /** {@code spec.boundObjectRef}; uid empty when the requester did not pin one. */
    public record BoundObjectRef(String kind, String apiVersion, String name, String uid) {
    }

    public TokenRequestSpec {
        audiences = List.copyOf(audiences);
    }

    /**
     * Reads a TokenRequest body sent for {@code name}. Its kind and apiVersion, when given, must be TokenRequest in
     * authentication.k8s.io/v1, and its metadata.name and metadata.namespace, when given, those of the URL.
     */
    public static TokenRequestSpec parse(ObjectNode body, String name, String namespace, long defaultExpiration) {
        String kind = body.path("kind").asText("");
        String apiVersion = body.path("apiVersion").asText("");
        if (!kind.isEmpty() && !kind.equals(KIND)) {
            throw ApiException.badRequest("the kind of the provided object (" + kind + ") does not match the "
                    + "expected kind (" + KIND + ")");
        }
        if (!apiVersion.isEmpty() && !apiVersion.equals(API_VERSION)) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the "
                    + "expected API version (" + API_VERSION + ")");
        }
        List<FieldError> errors = new ArrayList<>();
        String bodyName = text(body.path("metadata"), "name", "metadata.name");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            errors.add(FieldError.invalid("metadata.name", bodyName, "must match the service account name if "
                    + "specified"));
        }
        String bodyNamespace = text(body.path("metadata"), "namespace", "metadata.namespace");
        if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
            errors.add(FieldError.invalid("metadata.namespace", bodyNamespace, "must match the service account "
                    + "namespace if specified"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(GROUP, KIND, name, errors);
        }
        JsonNode spec = body.path("spec");
        if (!spec.isMissingNode() && !spec.isNull() && !spec.isObject()) {
            throw decodeError("spec", "an object", spec);
        }
        return new TokenRequestSpec(audiences(spec.path("audiences")), expiration(spec.path("expirationSeconds"),
                defaultExpiration), boundObjectRef(spec.path("boundObjectRef")));
    }

    /**
     * Kubernetes' ValidateTokenRequest: the lifetime is at least 10 minutes and at most 2^32 seconds. Like TokenREST,
     * the error names no object.
     */
    public void validate() {
        List<FieldError> errors = new ArrayList<>();
        if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
            errors.add(FieldError.invalid("spec.expirationSeconds", expirationSeconds,
                    "may not specify a duration less than 10 minutes"));
        }
        if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
            errors.add(FieldError.invalid("spec.expirationSeconds", expirationSeconds,
                    "may not specify a duration larger than 2^32 seconds"));
        }
        if (boundObjectRef != null && boundObjectRef.name().isEmpty()) {
            errors.add(FieldError.required("spec.boundObjectRef.name", "the bound object's name is required"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(GROUP, KIND, "", errors);
        }
    }

    public TokenRequestSpec withAudiences(List<String> defaultAudiences) {
        return audiences.isEmpty() ? new TokenRequestSpec(defaultAudiences, expirationSeconds, boundObjectRef) : this;
    }

    public TokenRequestSpec withExpirationSeconds(long seconds) {
        return new TokenRequestSpec(audiences, seconds, boundObjectRef);
    }

    private static List<String> audiences(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw decodeError("spec.audiences", "a list of strings", node);
        }
        List<String> audiences = new ArrayList<>();
        for (JsonNode audience : node) {
            if (!audience.isTextual()) {
                throw decodeError("spec.audiences", "a list of strings", node);
            }
            audiences.add(audience.asText());
        }
        return audiences;
    }

    private static long expiration(JsonNode node, long defaultExpiration) {
        if (node.isMissingNode() || node.isNull()) {
            return defaultExpiration;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw decodeError("spec.expirationSeconds", "a 64-bit integer", node);
        }
        return node.asLong();
    }

    private static BoundObjectRef boundObjectRef(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw decodeError("spec.boundObjectRef", "an object", node);
        }
        return new BoundObjectRef(text(node, "kind", "spec.boundObjectRef.kind"),
                text(node, "apiVersion", "spec.boundObjectRef.apiVersion"),
                text(node, "name", "spec.boundObjectRef.name"), text(node, "uid", "spec.boundObjectRef.uid"));
    }

    private static String text(JsonNode parent, String field, String path) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw decodeError(path, "a string", value);
        }
        return value.asText();
    }

    private static ApiException decodeError(String field, String expected, JsonNode got) {
        String shown = got.toString();
        return ApiException.badRequest("the request body is not a valid " + KIND + ": " + field + " must be "
                + expected + ", not " + (shown.length() > 64 ? shown.substring(0, 64) + "..." : shown));
    }
}
