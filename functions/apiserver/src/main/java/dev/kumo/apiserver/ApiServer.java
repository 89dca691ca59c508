package dev.kumo.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.dynamodb.CallerBreakdown;
import dev.kumo.apiserver.audit.AuditEvent;
import dev.kumo.apiserver.auth.Impersonation;
import dev.kumo.apiserver.auth.Security;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.Decision;
import dev.kumo.apiserver.auth.authz.Forbidden;
import dev.kumo.apiserver.auth.authz.RequestInfo;
import dev.kumo.apiserver.auth.authz.RequestInfoResolver;
import dev.kumo.apiserver.auth.tokens.IssuerDiscovery;
import dev.kumo.apiserver.auth.rbac.AggregatedRulesConversion;
import dev.kumo.apiserver.auth.rbac.BootstrapPolicy;
import dev.kumo.apiserver.auth.rbac.PolicyReconciler;
import dev.kumo.apiserver.auth.rbac.RbacChanges;
import dev.kumo.apiserver.auth.rbac.RbacResources;
import dev.kumo.apiserver.auth.review.AccessReviews;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.handlers.CreateOnlyHandler;
import dev.kumo.apiserver.handlers.Discovery;
import dev.kumo.apiserver.handlers.PatchApplier;
import dev.kumo.apiserver.handlers.ResourceHandler;
import dev.kumo.apiserver.handlers.Responses;
import dev.kumo.apiserver.handlers.TokenRequests;
import dev.kumo.apiserver.kubelet.NodeProxy;
import dev.kumo.apiserver.kubelet.PodStreams;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.http.Bodies;
import dev.kumo.apiserver.protobuf.KubernetesProtobuf;
import dev.kumo.apiserver.http.ResourcePath;
import dev.kumo.apiserver.openapi.OpenApiDocuments;
import dev.kumo.apiserver.openapi.OpenApiEndpoints;
import dev.kumo.apiserver.openapi.OpenApiRequest;
import dev.kumo.apiserver.registry.FieldManagement;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.registry.NodeReservations;
import dev.kumo.apiserver.registry.ServiceAllocations;
import dev.kumo.apiserver.registry.ServiceCidr;
import dev.kumo.apiserver.registry.WriteListener;
import dev.kumo.apiserver.registry.WriteOptions;
import dev.kumo.apiserver.controllers.QuotaUsageReconciler;
import dev.kumo.apiserver.controllers.Reconciler;
import dev.kumo.apiserver.admission.AdmissionChain;
import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.admission.serviceaccount.TokenSecrets;
import dev.kumo.apiserver.controllers.RootCaPublisher;
import dev.kumo.apiserver.controllers.ServiceAccountsReconciler;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apiserver.resources.BuiltinResources;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.resources.ResourceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes API: routes a request to discovery, version, health or a resource, and turns every failure into a
 * {@code Status}. Knows nothing of Lambda or HTTP servers; the hosts adapt their requests to {@link ApiRequest}.
 */
public final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** The Kubernetes version kumo implements; kubectl picks its behaviour (and gcloud's wrapper its binary) by it. */
    public static final String KUBERNETES_VERSION = "v1.32.0";
    static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final ObjectMapper mapper;
    private final ResourceRegistry resources;
    private final GenericRegistry registry;
    private final Discovery discovery;
    private final ResourceHandler resourceHandler;
    private final Responses responses;
    private final OpenApiEndpoints openApi;
    private final ServiceCidr serviceCidr;
    private final Security security;
    private final IssuerDiscovery issuerDiscovery;
    private final Impersonation impersonation;
    private final CreateOnlyHandler createOnly;
    private final PodStreams podStreams;
    private final NodeProxy nodeProxy;
    private final Clock clock;
    /**
     * What every namespace holds (the default ServiceAccount, ConfigMap kube-root-ca.crt), made right after a
     * namespace is created so that its first pods find their service account at once; the serviceaccount control
     * loop re-creates them when deleted and puts a changed CA bundle back.
     */
    private final List<Reconciler> namespaceContents;
    /** Where each request's caller and time are counted, next to its DynamoDB calls (null: not counted). */
    private volatile CallerBreakdown requestMeter;

    public ApiServer(Store store, ObjectMapper mapper, Clock clock, ServiceCidr serviceCidr, Security security) {
        this(store, mapper, clock, serviceCidr, security, "");
    }

    /**
     * @param rootCaBundle the PEM CA bundle clients should trust for this API, published in every namespace as
     *                     ConfigMap {@code kube-root-ca.crt} (mounted into pods with their token); empty publishes none
     */
    public ApiServer(Store store, ObjectMapper mapper, Clock clock, ServiceCidr serviceCidr, Security security,
                     String rootCaBundle) {
        this.mapper = mapper;
        this.security = security;
        this.clock = clock;
        this.serviceCidr = serviceCidr;
        this.resources = BuiltinResources.create(clock, new AggregatedRulesConversion(security.rbacPolicies()));
        // Token Secrets are filled here, where the signing key is (kube's token controller holds a copy of it).
        AdmissionPlugin admission = security.tokens() == null ? security.admission() : new AdmissionChain(List.of(
                new TokenSecrets(store, security.tokens(), rootCaBundle), security.admission()));
        this.registry = new GenericRegistry(store, mapper, clock, new FieldManagement(
                FieldManagement.servedSchema(mapper), clock, resources.all().stream()
                .filter(ResourceDefinition::hasStatus).map(FieldManagement::statusKey)
                .collect(java.util.stream.Collectors.toSet())),
                Map.of("services", new ServiceAllocations(store, mapper, serviceCidr),
                        "pods", new NodeReservations(store, mapper)), admission);
        WriteListener admissionState = admission instanceof WriteListener listener ? listener
                : new WriteListener() { };
        registry.addListener(admissionState);
        this.namespaceContents = new ArrayList<>(List.of(new ServiceAccountsReconciler(registry, resources)));
        if (rootCaBundle.isEmpty()) {
            LOG.atWarn().log("no root CA bundle configured: ConfigMap kube-root-ca.crt is not published");
        } else {
            namespaceContents.add(new RootCaPublisher(registry, resources, rootCaBundle));
        }
        registry.addListener(new WriteListener() {
            @Override
            public void created(ResourceDefinition def, ObjectNode object) {
                if (def.group().isEmpty() && def.plural().equals("namespaces")) {
                    namespaceContents.forEach(reconciler -> reconciler.reconcile(Meta.name(object)));
                }
            }
        });
        registry.addListener(new RbacChanges(security.rbacPolicies()));
        registry.addListener(new QuotaUsageReconciler(store, resources, clock, admissionState));
        this.discovery = new Discovery(mapper, resources);
        KubernetesProtobuf protobuf = KubernetesProtobuf.load();
        Bodies bodies = new Bodies(mapper, protobuf);
        this.responses = new Responses(mapper, clock, protobuf);
        this.resourceHandler = new ResourceHandler(mapper, registry, bodies, responses,
                new PatchApplier(registry, bodies), clock,
                new TokenRequests(mapper, registry, resources, bodies, responses, security.tokens()));
        this.openApi = new OpenApiEndpoints(OpenApiDocuments.load(), clock);
        this.issuerDiscovery = security.tokens() == null ? null : new IssuerDiscovery(security.tokens());
        this.impersonation = new Impersonation(security.authorizer());
        this.podStreams = new PodStreams(registry, resources.find("", "v1", "nodes").orElseThrow(),
                security.tokens());
        this.nodeProxy = new NodeProxy(registry, resources.find("", "v1", "nodes").orElseThrow(), security.tokens());
        this.createOnly = new CreateOnlyHandler(bodies, responses,
                new AccessReviews(mapper, security.authorizer(), clock)::review);
    }

    /**
     * Creates what every cluster has: the system namespaces, the {@code kubernetes} service on the first
     * address of the service CIDR (kube-apiserver's bootstrap controller does the same), and the default RBAC
     * roles and bindings (kube-apiserver's RBAC bootstrap hook).
     */
    public void bootstrap() {
        new PolicyReconciler(registry, resources.find(RbacResources.GROUP, "v1", "clusterroles").orElseThrow(),
                resources.find(RbacResources.GROUP, "v1", "clusterrolebindings").orElseThrow())
                .reconcile(new BootstrapPolicy(mapper));
        ResourceDefinition namespaces = resources.find("", "v1", "namespaces").orElseThrow();
        for (String name : SYSTEM_NAMESPACES) {
            if (registry.find(namespaces, "", name).isEmpty()) {
                ObjectNode namespace = mapper.createObjectNode();
                namespace.putObject("metadata").put("name", name);
                try {
                    registry.create(namespaces, "", namespace, WriteOptions.system("kube-apiserver"));
                    LOG.atInfo().addKeyValue("namespace", name).log("created system namespace");
                } catch (ApiException e) {
                    if (e.code() != 409) {
                        throw e;
                    }
                }
            }
        }
        for (String name : SYSTEM_NAMESPACES) {
            namespaceContents.forEach(reconciler -> reconciler.reconcile(name));
        }
        ResourceDefinition services = resources.find("", "v1", "services").orElseThrow();
        if (registry.find(services, "default", "kubernetes").isEmpty()) {
            ObjectNode service = mapper.createObjectNode();
            service.putObject("metadata").put("name", "kubernetes")
                    .putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
            ObjectNode spec = service.putObject("spec");
            spec.put("clusterIP", serviceCidr.first());
            spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("targetPort", 6443)
                    .put("protocol", "TCP");
            try {
                registry.create(services, "default", service, WriteOptions.system("kube-apiserver"));
            } catch (ApiException e) {
                if (e.code() != 409 && e.code() != 422) {
                    throw e;
                }
            }
        }
    }

    /**
     * Answers one request: authenticates it (401 when it carries no valid credential outside the open paths),
     * authorizes it (403), serves it, and records it in the audit log when it changes something, reads secrets, or
     * was refused.
     */
    public ApiResponse handle(ApiRequest request) {
        CallerBreakdown meter = requestMeter;
        RequestInfo info = RequestInfoResolver.resolve(request);
        if (meter == null) {
            return serve(request, info);
        }
        long started = System.nanoTime();
        String caller = caller(request, info);
        ApiResponse response;
        try (CallerBreakdown.Scope ignored = CallerBreakdown.enter(caller)) {
            response = serve(request, info);
        }
        meter.request(caller, System.nanoTime() - started);
        if (response instanceof ApiResponse.Streaming streaming) {
            // A watch reads the store while it streams, after this method returned: those reads are its caller's too.
            return new ApiResponse.Streaming(streaming.status(), streaming.headers(), sink -> {
                try (CallerBreakdown.Scope ignored = CallerBreakdown.enter(caller)) {
                    streaming.body().writeTo(sink);
                }
            });
        }
        return response;
    }

    /** Counts each request's caller and time in {@code meter} (benchmarks: who costs what). */
    public void measureRequests(CallerBreakdown meter) {
        this.requestMeter = meter;
    }

    /** Who asks for what, for the cost breakdown: the user agent's product, the verb and the resource. */
    private static String caller(ApiRequest request, RequestInfo info) {
        String agent = request.header("User-Agent");
        String product = agent == null || agent.isBlank() ? "-" : agent.strip().split("\\s+", 2)[0];
        // Paths outside resources are named by their first segment (/openapi/v3/... has a name per group).
        return product + " " + info.verb() + " " + (info.resourceRequest() ? info.resourceWithSubresource()
                : "/" + info.path().replaceFirst("^/", "").split("/", 2)[0]);
    }

    private ApiResponse serve(ApiRequest request, RequestInfo info) {
        Instant received = clock.instant();
        UserInfo user = UserInfo.ANONYMOUS;
        ApiResponse response;
        String failure = "";
        try {
            user = security.authenticator().authenticate(request);
            user = impersonation.actingUser(request, user);
            Decision decision = security.authorizer().authorize(user, info);
            if (!decision.allowed()) {
                LOG.atInfo().addKeyValue("user", user.name()).addKeyValue("verb", info.verb())
                        .addKeyValue("resource", info.resourceWithSubresource())
                        .addKeyValue("namespace", info.namespace()).addKeyValue("name", info.name())
                        .addKeyValue("path", info.path()).addKeyValue("reason", decision.reason())
                        .log("request forbidden");
                throw Forbidden.of(user, info, decision.reason());
            }
            response = route(request.withUser(user));
        } catch (ApiException e) {
            failure = e.code() == 401 ? AuditEvent.authenticationFailedMessage(request.header("Authorization"))
                    : e.getMessage();
            response = responses.status(e);
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).addKeyValue("method", request.method()).addKeyValue("path", request.path())
                    .addKeyValue("user", user.name()).log("request failed");
            failure = "an internal error occurred";
            response = responses.status(ApiException.internal("an internal error occurred: " + e));
        }
        if (audited(info, response.status())) {
            security.audit().record(new AuditEvent(UUID.randomUUID().toString(),
                    response instanceof ApiResponse.Streaming || response.status() == 401 ? "ResponseStarted"
                            : "ResponseComplete",
                    requestUri(request), info, user, request.remoteAddress(), request.header("User-Agent"),
                    response.status(), failure, received, clock.instant()));
        }
        return response;
    }

    /** Every write, every read of a secret, and every refused request. */
    private static boolean audited(RequestInfo info, int status) {
        return !info.readOnly() && info.resourceRequest()
                || info.resourceRequest() && info.resource().equals("secrets") && info.apiGroup().isEmpty()
                || status == 401 || status == 403;
    }

    private static String requestUri(ApiRequest request) {
        StringBuilder uri = new StringBuilder(request.path());
        char separator = '?';
        for (Map.Entry<String, List<String>> parameter : request.query().entrySet()) {
            for (String value : parameter.getValue()) {
                uri.append(separator).append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return uri.toString();
    }

    private ApiResponse route(ApiRequest request) {
        String path = request.path().length() > 1 && request.path().endsWith("/")
                ? request.path().substring(0, request.path().length() - 1) : request.path();
        switch (path) {
            case "/healthz", "/livez", "/readyz" -> {
                return text(200, "ok");
            }
            case "/version" -> {
                return responses.json(200, version());
            }
            case "/api" -> {
                return discoveryResponse(request, true);
            }
            case "/apis" -> {
                return discoveryResponse(request, false);
            }
            case IssuerDiscovery.CONFIGURATION_PATH, IssuerDiscovery.JWKS_PATH -> {
                return issuerDiscovery(request, path);
            }
            default -> {
            }
        }
        if (path.startsWith("/openapi/")) {
            requireGet(request);
            return openApi.handle(OpenApiRequest.get(path).withHash(request.param("hash"))
                            .withAccept(request.header("Accept")).withIfNoneMatch(request.header("If-None-Match")))
                    .map(r -> (ApiResponse) new ApiResponse.Complete(r.status(), r.headers(), r.body()))
                    .orElseThrow(() -> ApiException.notFoundPath("the server could not find the requested resource"));
        }
        if (path.startsWith("/healthz/") || path.startsWith("/livez/") || path.startsWith("/readyz/")) {
            return text(200, "ok");
        }
        List<String> segments = List.of(path.replaceAll("^/", "").split("/"));
        if (segments.size() == 2 && segments.get(0).equals("api")) {
            requireGet(request);
            if (!segments.get(1).equals("v1")) {
                throw ApiException.notFoundPath("the server could not find the requested resource");
            }
            return responses.json(200, discovery.apiResourceList("", "v1"));
        }
        if (segments.size() == 2 && segments.get(0).equals("apis")) {
            requireGet(request);
            if (!resources.groups().contains(segments.get(1))) {
                throw ApiException.notFoundPath("the server could not find the requested resource");
            }
            return responses.json(200, discovery.apiGroup(segments.get(1)));
        }
        if (segments.size() == 3 && segments.get(0).equals("apis")) {
            requireGet(request);
            if (!resources.servesGroupVersion(segments.get(1), segments.get(2))) {
                throw ApiException.notFoundPath("the server could not find the requested resource");
            }
            return responses.json(200, discovery.apiResourceList(segments.get(1), segments.get(2)));
        }
        if (NodeProxy.matches(path)) {
            return nodeProxy.handle(request, path);
        }
        Optional<ResourcePath> resourcePath = ResourcePath.parse(path, (g, v, r) ->
                resources.find(g, v, r).map(ResourceDefinition::namespaced).orElse(false));
        if (resourcePath.isEmpty()) {
            throw ApiException.notFoundPath("the server could not find the requested resource (" + path + ")");
        }
        ResourcePath target = resourcePath.get();
        ResourceDefinition def = resources.find(target.group(), target.version(), target.resource())
                .orElseThrow(() -> ApiException.notFoundPath("the server could not find the requested resource ("
                        + target.resource() + (target.group().isEmpty() ? "" : "." + target.group()) + ")"));
        if (def.group().isEmpty() && def.plural().equals("pods")
                && PodStreams.SUBRESOURCES.contains(target.subresource()) && !target.name().isEmpty()) {
            return podStreams.handle(request, target, def);
        }
        responses.checkAcceptable(request);
        if (!def.stored()) {
            return createOnly.handle(request, target, def);
        }
        return resourceHandler.handle(request, target, def);
    }

    /** Aggregated discovery when kubectl asks for it (in the apidiscovery version it names), else legacy. */
    private ApiResponse discoveryResponse(ApiRequest request, boolean legacy) {
        requireGet(request);
        String accept = request.header("Accept") == null ? "" : request.header("Accept");
        for (String version : List.of("v2", "v2beta1")) {
            String mediaType = "application/json;g=apidiscovery.k8s.io;v=" + version + ";as=APIGroupDiscoveryList";
            if (accept.replace(" ", "").contains(mediaType)) {
                ApiResponse.Complete body = (ApiResponse.Complete) responses.json(200,
                        discovery.aggregated(legacy, version));
                return new ApiResponse.Complete(200, Map.of("Content-Type", mediaType, "Vary", "Accept"),
                        body.body());
            }
        }
        return responses.json(200, legacy ? discovery.apiVersions() : discovery.apiGroupList());
    }

    /** Service-account issuer discovery (kube-apiserver serves it only when it signs tokens). */
    private ApiResponse issuerDiscovery(ApiRequest request, String path) {
        requireGet(request);
        if (issuerDiscovery == null) {
            throw ApiException.notFoundPath("the server could not find the requested resource: the API server "
                    + "issues no service account tokens");
        }
        boolean configuration = path.equals(IssuerDiscovery.CONFIGURATION_PATH);
        return new ApiResponse.Complete(200, Map.of(
                "Content-Type", configuration ? "application/json" : "application/jwk-set+json",
                "Cache-Control", IssuerDiscovery.CACHE_CONTROL),
                configuration ? issuerDiscovery.configuration() : issuerDiscovery.jwks());
    }

    private ObjectNode version() {
        ObjectNode version = mapper.createObjectNode();
        String[] parts = KUBERNETES_VERSION.substring(1).split("\\.");
        version.put("major", parts[0]).put("minor", parts[1])
                .put("gitVersion", KUBERNETES_VERSION + "-kumo")
                .put("gitCommit", "").put("gitTreeState", "clean")
                .put("buildDate", "1970-01-01T00:00:00Z")
                .put("goVersion", "java" + Runtime.version().feature())
                .put("compiler", "kumo").put("platform", "linux/amd64");
        return version;
    }

    private static void requireGet(ApiRequest request) {
        if (!request.method().equals("GET")) {
            throw ApiException.methodNotAllowed(request.method() + " is not allowed on discovery documents");
        }
    }

    private static ApiResponse text(int status, String body) {
        return new ApiResponse.Complete(status, Map.of("Content-Type", "text/plain; charset=utf-8"),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
