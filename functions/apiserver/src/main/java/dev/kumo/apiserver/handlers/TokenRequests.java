package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apiserver.admission.AdmissionRequest;
import dev.kumo.apiserver.auth.authn.NodeTokenAuthenticator;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims.ObjectRef;
import dev.kumo.apiserver.auth.tokens.TokenIssuer;
import dev.kumo.apiserver.auth.tokens.TokenRequestSpec;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.errors.FieldError;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.http.Bodies;
import dev.kumo.apiserver.http.ResourcePath;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.resources.ResourceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The TokenRequest subresources: {@code serviceaccounts/token} (Kubernetes' TokenREST: a service-account token,
 * optionally bound to a pod or secret) and kumo's {@code nodes/token}, which trades the caller's credential (a
 * bootstrap token, or a node's current credential) for a node credential — what a kubelet's CSR and client
 * certificate do in Kubernetes, which API Gateway cannot carry.
 */
public final class TokenRequests {
    private static final Logger LOG = LoggerFactory.getLogger(TokenRequests.class);
    /** A node credential lives a day unless asked otherwise (a kubelet's client certificate rotates well before). */
    public static final long DEFAULT_NODE_EXPIRATION_SECONDS = Duration.ofHours(24).toSeconds();

    private final ObjectMapper mapper;
    private final GenericRegistry registry;
    private final ResourceRegistry resources;
    private final Bodies bodies;
    private final Responses responses;
    private final TokenIssuer issuer;

    /** {@code issuer} null: the server has no signing key and serves no tokens (404, as kube-apiserver without one). */
    public TokenRequests(ObjectMapper mapper, GenericRegistry registry, ResourceRegistry resources, Bodies bodies,
                         Responses responses, TokenIssuer issuer) {
        this.mapper = mapper;
        this.registry = registry;
        this.resources = resources;
        this.bodies = bodies;
        this.responses = responses;
        this.issuer = issuer;
    }

    ApiResponse handle(ApiRequest request, ResourcePath path, ResourceDefinition def) {
        if (issuer == null) {
            throw ApiException.notFoundPath("the server could not find the requested resource (" + def.plural()
                    + "/token): the API server has no token signing key");
        }
        if (!request.method().equals("POST")) {
            throw ApiException.methodNotAllowed(request.method() + " is not supported on " + def.plural()
                    + "/token; only POST (create) is");
        }
        return switch (def.plural()) {
            case "serviceaccounts" -> serviceAccountToken(request, path);
            case "nodes" -> nodeToken(request, path);
            default -> throw ApiException.notFoundPath("the server could not find the requested resource ("
                    + def.plural() + "/token)");
        };
    }

    private ApiResponse serviceAccountToken(ApiRequest request, ResourcePath path) {
        String namespace = path.namespace();
        String name = path.name();
        ObjectNode body = bodies.object(request);
        TokenRequestSpec spec = TokenRequestSpec.parse(body, name, namespace,
                TokenRequestSpec.DEFAULT_EXPIRATION_SECONDS).withAudiences(issuer.settings().apiAudiences());
        spec.validate();
        admit(request, "serviceaccounts", namespace, name, body);
        ObjectNode serviceAccount = registry.get(definition("serviceaccounts"), namespace, name);
        ServiceAccountClaims unbound = ServiceAccountClaims.forServiceAccount(namespace,
                new ObjectRef(name, Meta.uid(serviceAccount)));
        TokenRequestSpec.BoundObjectRef ref = spec.boundObjectRef();
        ServiceAccountClaims claims = ref == null ? unbound : bind(unbound, ref, namespace, name);
        Map<String, String> headers = new HashMap<>();
        TokenRequestSpec effective = capExpiration(spec, headers);
        TokenIssuer.IssuedToken token = sign(() -> issuer.serviceAccountToken(claims, effective.audiences(),
                effective.expirationSeconds()));
        LOG.atInfo().addKeyValue("serviceaccount", namespace + "/" + name)
                .addKeyValue("boundTo", ref == null ? "" : ref.kind() + " " + ref.name())
                .addKeyValue("audiences", effective.audiences())
                .addKeyValue("expirationSeconds", effective.expirationSeconds())
                .addKeyValue("jti", token.id()).addKeyValue("user", request.requireUser().name())
                .log("issued a service account token");
        return answer(request, unbound.serviceAccount(), namespace, effective, token, headers);
    }

    /** Kubernetes' TokenREST checks of the bound object: kind, existence, uid, and a pod's service account. */
    private ServiceAccountClaims bind(ServiceAccountClaims claims, TokenRequestSpec.BoundObjectRef ref,
                                      String namespace, String serviceAccount) {
        String group = ref.apiVersion().contains("/") ? ref.apiVersion().substring(0, ref.apiVersion().indexOf('/'))
                : "";
        String kind = group.isEmpty() ? ref.kind() : "";
        ObjectNode bound;
        switch (kind) {
            case "Pod" -> {
                bound = registry.get(definition("pods"), namespace, ref.name());
                if (!bound.path("spec").path("serviceAccountName").asText("").equals(serviceAccount)) {
                    throw ApiException.badRequest("cannot bind token for serviceaccount \"" + serviceAccount
                            + "\" to pod running with different serviceaccount name.");
                }
            }
            case "Secret" -> bound = registry.get(definition("secrets"), namespace, ref.name());
            default -> throw ApiException.badRequest("cannot bind token to object of type " + group + "/"
                    + versionOf(ref.apiVersion()) + ", Kind=" + ref.kind());
        }
        String uid = Meta.uid(bound);
        if (!ref.uid().isEmpty() && !ref.uid().equals(uid)) {
            throw ApiException.conflict(group, ref.kind(), ref.name(), "the UID in the bound object reference ("
                    + ref.uid() + ") does not match the UID in record. The object might have been deleted and then "
                    + "recreated");
        }
        if (kind.equals("Secret")) {
            return claims.boundToSecret(new ObjectRef(ref.name(), uid));
        }
        // The pod's node, with its uid when the Node exists (only its name otherwise, as kube-apiserver does).
        String nodeName = bound.path("spec").path("nodeName").asText("");
        ObjectRef node = nodeName.isEmpty() ? null : new ObjectRef(nodeName, registry.find(definition("nodes"), "",
                nodeName).map(Meta::uid).orElse(""));
        return claims.boundToPod(new ObjectRef(ref.name(), uid), node);
    }

    private static String versionOf(String apiVersion) {
        return apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
    }

    private ApiResponse nodeToken(ApiRequest request, ResourcePath path) {
        String node = path.name();
        ObjectNode body = bodies.object(request);
        TokenRequestSpec spec = TokenRequestSpec.parse(body, node, "",
                DEFAULT_NODE_EXPIRATION_SECONDS).withAudiences(issuer.settings().apiAudiences());
        spec.validate();
        admit(request, "nodes", "", node, body);
        List<FieldError> errors = new ArrayList<>();
        if (!NodeTokenAuthenticator.isNodeName(node)) {
            errors.add(FieldError.invalid("metadata.name", node, "a node name must be a lowercase RFC 1123 "
                    + "subdomain"));
        }
        for (String audience : spec.audiences()) {
            if (!issuer.settings().apiAudiences().contains(audience)) {
                errors.add(FieldError.notSupported("spec.audiences", audience, "a node credential is for the API "
                        + "server only; supported values: " + issuer.settings().apiAudiences()));
            }
        }
        if (spec.boundObjectRef() != null) {
            errors.add(FieldError.forbidden("spec.boundObjectRef", "a node credential is bound to its node name"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(TokenRequestSpec.GROUP, TokenRequestSpec.KIND, node, errors);
        }
        Map<String, String> headers = new HashMap<>();
        TokenRequestSpec capped = capExpiration(spec, headers);
        TokenIssuer.IssuedToken token = sign(() -> issuer.nodeToken(node, capped.audiences(),
                capped.expirationSeconds()));
        LOG.atInfo().addKeyValue("node", node).addKeyValue("expirationSeconds", capped.expirationSeconds())
                .addKeyValue("jti", token.id()).addKeyValue("user", request.requireUser().name())
                .log("issued a node credential");
        return answer(request, new ObjectRef(node, ""), "", capped, token, headers);
    }

    /** Admission sees a TokenRequest as kube-apiserver shows it: a create of the {@code token} subresource. */
    private void admit(ApiRequest request, String resource, String namespace, String name, ObjectNode body) {
        registry.admit(new AdmissionRequest(AdmissionRequest.Operation.CREATE, definition(resource), namespace, name,
                "token", body, null, request.requireUser(), false));
    }

    /** Longer than the server allows is shortened, with a warning, as kube-apiserver does. */
    private TokenRequestSpec capExpiration(TokenRequestSpec spec, Map<String, String> headers) {
        long max = issuer.settings().maxExpiration().toSeconds();
        if (spec.expirationSeconds() <= max) {
            return spec;
        }
        headers.put("Warning", "299 - \"requested expiration of " + spec.expirationSeconds()
                + " seconds shortened to " + max + " seconds\"");
        return spec.withExpirationSeconds(max);
    }

    private static TokenIssuer.IssuedToken sign(Supplier<TokenIssuer.IssuedToken> signing) {
        try {
            return signing.get();
        } catch (IllegalStateException e) {
            LOG.atError().setCause(e).log("could not sign a token");
            throw ApiException.internal(e.getMessage());
        }
    }

    /**
     * 201 with the request as TokenREST completes it: the subject's name, namespace and uid, the time of issue,
     * the defaulted spec, and status.token and status.expirationTimestamp.
     */
    private ApiResponse answer(ApiRequest request, ObjectRef subject, String namespace, TokenRequestSpec spec,
                               TokenIssuer.IssuedToken token, Map<String, String> warnings) {
        ObjectNode out = mapper.createObjectNode();
        out.put("kind", TokenRequestSpec.KIND).put("apiVersion", TokenRequestSpec.API_VERSION);
        ObjectNode metadata = out.putObject("metadata");
        metadata.put("name", subject.name());
        if (!namespace.isEmpty()) {
            metadata.put("namespace", namespace);
        }
        if (!subject.uid().isEmpty()) {
            metadata.put("uid", subject.uid());
        }
        metadata.put("creationTimestamp", token.issuedAt().toString());
        ObjectNode specNode = out.putObject("spec");
        spec.audiences().forEach(specNode.putArray("audiences")::add);
        specNode.put("expirationSeconds", spec.expirationSeconds());
        if (spec.boundObjectRef() != null) {
            TokenRequestSpec.BoundObjectRef ref = spec.boundObjectRef();
            ObjectNode refNode = specNode.putObject("boundObjectRef").put("kind", ref.kind());
            if (!ref.apiVersion().isEmpty()) {
                refNode.put("apiVersion", ref.apiVersion());
            }
            refNode.put("name", ref.name());
            if (!ref.uid().isEmpty()) {
                refNode.put("uid", ref.uid());
            }
        } else {
            specNode.putNull("boundObjectRef");
        }
        out.putObject("status").put("token", token.token())
                .put("expirationTimestamp", token.expiration().toString());
        ApiResponse response = responses.negotiated(request, 201, out);
        if (warnings.isEmpty() || !(response instanceof ApiResponse.Complete complete)) {
            return response;
        }
        Map<String, String> headers = new HashMap<>(complete.headers());
        headers.putAll(warnings);
        return new ApiResponse.Complete(complete.status(), headers, complete.body());
    }

    private ResourceDefinition definition(String plural) {
        return resources.find("", "v1", plural).orElseThrow(() -> new IllegalStateException("no core " + plural));
    }
}
