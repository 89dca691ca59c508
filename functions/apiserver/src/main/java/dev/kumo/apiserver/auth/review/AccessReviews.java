package dev.kumo.apiserver.auth.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.Authorizer;
import dev.kumo.apiserver.auth.authz.Decision;
import dev.kumo.apiserver.auth.authz.RequestInfo;
import dev.kumo.apiserver.auth.authz.SubjectRules;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.errors.FieldError;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reviews that answer a question about access instead of storing an object, as kube-apiserver's REST storage
 * for them does: SubjectAccessReview (may this user do this?), SelfSubjectAccessReview (may I?),
 * LocalSubjectAccessReview (the same within a namespace), SelfSubjectRulesReview (what may I do in this
 * namespace?) and SelfSubjectReview (who am I?). {@code kubectl auth can-i} and {@code kubectl auth whoami} use
 * them. Each is answered by the API server's whole authorizer, as every other request is decided.
 */
public final class AccessReviews {
    private final ObjectMapper mapper;
    private final Authorizer authorizer;
    private final Clock clock;

    public AccessReviews(ObjectMapper mapper, Authorizer authorizer, Clock clock) {
        this.mapper = mapper;
        this.authorizer = authorizer;
        this.clock = clock;
    }

    /**
     * The review's answer: the object as sent with its status filled in.
     *
     * @param namespace the request's namespace (LocalSubjectAccessReview only)
     */
    public ObjectNode review(ResourceDefinition def, String namespace, ObjectNode review, UserInfo user) {
        GenericRegistry.checkKind(def, review);
        return switch (def.kind()) {
            case "SelfSubjectAccessReview" -> selfSubjectAccessReview(review, user);
            case "SubjectAccessReview" -> subjectAccessReview(review);
            case "LocalSubjectAccessReview" -> localSubjectAccessReview(review, namespace);
            case "SelfSubjectRulesReview" -> selfSubjectRulesReview(def, review, user);
            case "SelfSubjectReview" -> selfSubjectReview(def, user);
            default -> throw new IllegalArgumentException("not an access review: " + def.kind());
        };
    }

    private ObjectNode selfSubjectAccessReview(ObjectNode review, UserInfo user) {
        List<FieldError> errors = validateSpec(review.path("spec"), false);
        errors.addAll(metadataMustBeEmpty(review, false));
        requireValid(review, errors);
        return decide(review, user);
    }

    private ObjectNode subjectAccessReview(ObjectNode review) {
        List<FieldError> errors = validateSpec(review.path("spec"), true);
        errors.addAll(metadataMustBeEmpty(review, false));
        requireValid(review, errors);
        return decide(review, subject(review.path("spec")));
    }

    private ObjectNode localSubjectAccessReview(ObjectNode review, String namespace) {
        ObjectNode metadata = review.has("metadata") && review.get("metadata").isObject()
                ? (ObjectNode) review.get("metadata") : review.putObject("metadata");
        String bodyNamespace = metadata.path("namespace").asText("");
        if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
            throw ApiException.badRequest("the namespace of the provided object (" + bodyNamespace
                    + ") does not match the namespace sent on the request (" + namespace + ")");
        }
        metadata.put("namespace", namespace);
        JsonNode spec = review.path("spec");
        List<FieldError> errors = validateSpec(spec, true);
        errors.addAll(metadataMustBeEmpty(review, true));
        JsonNode attributes = spec.path("resourceAttributes");
        if (attributes.isObject() && !attributes.path("namespace").asText("").equals(namespace)) {
            errors.add(FieldError.invalid("spec.resourceAttributes.namespace",
                    attributes.path("namespace").asText(""), "must match metadata.namespace"));
        }
        if (spec.path("nonResourceAttributes").isObject()) {
            errors.add(new FieldError(FieldError.Type.INVALID, "spec.nonResourceAttributes", null,
                    nonResourceValue(spec.path("nonResourceAttributes")) + ": disallowed on this kind of request"));
        }
        requireValid(review, errors);
        return decide(review, subject(spec));
    }

    /** Asks the authorizer and writes its answer into {@code status}. */
    private ObjectNode decide(ObjectNode review, UserInfo user) {
        Decision decision = authorizer.authorize(user, attributes(review.path("spec")));
        ObjectNode status = review.putObject("status");
        status.put("allowed", decision.kind() == Decision.Kind.ALLOW);
        if (decision.kind() == Decision.Kind.DENY) {
            status.put("denied", true);
        }
        if (decision.reason() != null && !decision.reason().isEmpty()) {
            status.put("reason", decision.reason());
        }
        return review;
    }

    private ObjectNode selfSubjectRulesReview(ResourceDefinition def, ObjectNode review, UserInfo user) {
        String namespace = review.path("spec").path("namespace").asText("");
        if (namespace.isEmpty()) {
            throw ApiException.badRequest("no namespace on request");
        }
        SubjectRules rules = authorizer.rulesFor(user, namespace);
        ObjectNode answer = answer(def);
        answer.putObject("spec");
        ObjectNode status = answer.putObject("status");
        ArrayNode resourceRules = status.putArray("resourceRules");
        for (SubjectRules.ResourceRule rule : rules.resourceRules()) {
            ObjectNode node = resourceRules.addObject();
            strings(node, "verbs", rule.verbs(), true);
            strings(node, "apiGroups", rule.apiGroups(), false);
            strings(node, "resources", rule.resources(), false);
            strings(node, "resourceNames", rule.resourceNames(), false);
        }
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (SubjectRules.NonResourceRule rule : rules.nonResourceRules()) {
            ObjectNode node = nonResourceRules.addObject();
            strings(node, "verbs", rule.verbs(), true);
            strings(node, "nonResourceURLs", rule.nonResourceURLs(), false);
        }
        status.put("incomplete", rules.incomplete());
        if (!rules.evaluationError().isEmpty()) {
            status.put("evaluationError", rules.evaluationError());
        }
        return answer;
    }

    private ObjectNode selfSubjectReview(ResourceDefinition def, UserInfo user) {
        ObjectNode answer = answer(def);
        answer.putObject("metadata").put("creationTimestamp",
                Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode userInfo = answer.putObject("status").putObject("userInfo");
        userInfo.put("username", user.name());
        if (!user.uid().isEmpty()) {
            userInfo.put("uid", user.uid());
        }
        strings(userInfo, "groups", user.groups(), false);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = userInfo.putObject("extra");
            user.extra().forEach((key, values) -> values.forEach(extra.withArray(key)::add));
        }
        return answer;
    }

    /** The authorizer's attributes from a spec ({@code ResourceAttributesFrom}, {@code NonResourceAttributesFrom}). */
    private static RequestInfo attributes(JsonNode spec) {
        JsonNode resource = spec.path("resourceAttributes");
        if (resource.isObject()) {
            String version = resource.path("version").asText("");
            return new RequestInfo(true, "", resource.path("verb").asText(""), resource.path("group").asText(""),
                    version.isEmpty() ? "*" : version, resource.path("namespace").asText(""),
                    resource.path("resource").asText(""), resource.path("subresource").asText(""),
                    resource.path("name").asText(""), resource.path("fieldSelector").path("rawSelector").asText(""));
        }
        JsonNode nonResource = spec.path("nonResourceAttributes");
        return RequestInfo.nonResource(nonResource.path("verb").asText(""), nonResource.path("path").asText(""));
    }

    /** The user a SubjectAccessReview asks about. */
    private static UserInfo subject(JsonNode spec) {
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(group -> groups.add(group.asText()));
        Map<String, List<String>> extra = new java.util.LinkedHashMap<>();
        spec.path("extra").properties().forEach(entry -> {
            List<String> values = new ArrayList<>();
            entry.getValue().forEach(value -> values.add(value.asText()));
            extra.put(entry.getKey(), values);
        });
        return new UserInfo(spec.path("user").asText(""), spec.path("uid").asText(""), groups, extra);
    }

    /** {@code ValidateSubjectAccessReviewSpec} (and its self-subject form, which names no user). */
    private static List<FieldError> validateSpec(JsonNode spec, boolean namesSubject) {
        List<FieldError> errors = new ArrayList<>();
        boolean resource = spec.path("resourceAttributes").isObject();
        boolean nonResource = spec.path("nonResourceAttributes").isObject();
        if (resource && nonResource) {
            errors.add(new FieldError(FieldError.Type.INVALID, "spec.nonResourceAttributes", null,
                    nonResourceValue(spec.path("nonResourceAttributes"))
                            + ": cannot be specified in combination with resourceAttributes"));
        }
        if (!resource && !nonResource) {
            errors.add(FieldError.invalid("spec.resourceAttributes", "null",
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
        if (namesSubject && spec.path("user").asText("").isEmpty() && spec.path("groups").isEmpty()) {
            errors.add(FieldError.invalid("spec.user", "", "at least one of user or group must be specified"));
        }
        JsonNode fieldSelector = spec.path("resourceAttributes").path("fieldSelector");
        if (fieldSelector.isObject() && !fieldSelector.path("rawSelector").asText("").isEmpty()
                && !fieldSelector.path("requirements").isEmpty()) {
            errors.add(FieldError.invalid("spec.resourceAttributes.fieldSelector.rawSelector",
                    fieldSelector.path("rawSelector").asText(), "may not specified at the same time as requirements"));
        }
        return errors;
    }

    /** Reviews carry no object metadata (a LocalSubjectAccessReview only its namespace). */
    private static List<FieldError> metadataMustBeEmpty(ObjectNode review, boolean namespaceAllowed) {
        ObjectNode rest = review.path("metadata").isObject() ? review.get("metadata").deepCopy()
                : review.objectNode();
        rest.remove(List.of("managedFields", "namespace"));
        if (rest.path("creationTimestamp").isNull()) {
            rest.remove("creationTimestamp");
        }
        if (!namespaceAllowed && !review.path("metadata").path("namespace").asText("").isEmpty()) {
            rest.put("namespace", review.path("metadata").path("namespace").asText());
        }
        if (rest.isEmpty()) {
            return new ArrayList<>();
        }
        return new ArrayList<>(List.of(FieldError.invalid("metadata", rest.toString(),
                namespaceAllowed ? "must be empty except for namespace" : "must be empty")));
    }

    private static void requireValid(ObjectNode review, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            String group = review.path("apiVersion").asText("").split("/")[0];
            throw ApiException.invalid(group, review.path("kind").asText(""), "", errors);
        }
    }

    private ObjectNode answer(ResourceDefinition def) {
        ObjectNode answer = mapper.createObjectNode();
        answer.put("kind", def.kind()).put("apiVersion", def.apiVersion());
        answer.putObject("metadata");
        return answer;
    }

    /** Go's {@code %#v} of the attributes, as Kubernetes prints the invalid value. */
    private static String nonResourceValue(JsonNode attributes) {
        return "authorization.NonResourceAttributes{Path:\"" + attributes.path("path").asText("")
                + "\", Verb:\"" + attributes.path("verb").asText("") + "\"}";
    }

    private static void strings(ObjectNode node, String field, List<String> values, boolean always) {
        if (always || !values.isEmpty()) {
            values.forEach(node.putArray(field)::add);
        }
    }
}
