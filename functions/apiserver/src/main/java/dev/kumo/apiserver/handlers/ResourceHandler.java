package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.FieldSelector;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apimachinery.selection.SelectorException;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.http.Bodies;
import dev.kumo.apiserver.http.ResourcePath;
import dev.kumo.apiserver.registry.DeleteOptions;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.registry.ListRequest;
import dev.kumo.apiserver.registry.WriteOptions;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.table.TableConvertor;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** The REST verbs on one resource: list, watch, create, get, update, patch, delete, deletecollection. */
public final class ResourceHandler {
    private final ObjectMapper mapper;
    private final GenericRegistry registry;
    private final Bodies bodies;
    private final Responses responses;
    private final Subresources subresources;
    private final PatchApplier patches;
    private final Clock clock;

    public ResourceHandler(ObjectMapper mapper, GenericRegistry registry, Bodies bodies, Responses responses,
                           PatchApplier patches, Clock clock, TokenRequests tokens) {
        this.mapper = mapper;
        this.registry = registry;
        this.bodies = bodies;
        this.responses = responses;
        this.patches = patches;
        this.subresources = new Subresources(mapper, registry, bodies, patches, responses, tokens);
        this.clock = clock;
    }

    public ApiResponse handle(ApiRequest request, ResourcePath path, ResourceDefinition def) {
        if (def.namespaced() && path.namespace().isEmpty() && !path.name().isEmpty()) {
            throw ApiException.notFoundPath("the server could not find the requested resource (namespaced "
                    + def.plural() + " need /namespaces/<namespace>/ in the path)");
        }
        if (!path.subresource().isEmpty()) {
            if (!def.subresources().contains(path.subresource())) {
                throw ApiException.notFoundPath("the server could not find the requested resource ("
                        + def.plural() + "/" + path.subresource() + ")");
            }
            return subresources.handle(request, path, def);
        }
        boolean collection = path.name().isEmpty();
        return switch (request.method()) {
            case "GET" -> collection
                    ? (request.flag("watch") || path.legacyWatch() ? watch(request, path, def) : list(request, path, def))
                    : responses.object(request, 200, registry.get(def, path.namespace(), path.name()), def);
            case "POST" -> {
                if (!collection) {
                    throw ApiException.methodNotAllowed("POST is not supported on a single " + def.singular()
                            + "; use PUT or PATCH");
                }
                ObjectNode created = registry.create(def, path.namespace(), bodies.object(request),
                        writeOptions(request));
                yield responses.object(request, 201, created, def);
            }
            case "PUT" -> {
                requireName(path, "PUT");
                yield responses.object(request, 200, registry.update(def, path.namespace(), path.name(), "",
                        bodies.object(request), writeOptions(request)), def);
            }
            case "PATCH" -> {
                requireName(path, "PATCH");
                yield patches.patch(request, def, path.namespace(), path.name(), "", writeOptions(request),
                        (status, object) -> responses.object(request, status, object, def));
            }
            case "DELETE" -> collection ? deleteCollection(request, path, def) : delete(request, path, def);
            default -> throw ApiException.methodNotAllowed(request.method() + " is not supported on " + def.plural());
        };
    }

    private ApiResponse list(ApiRequest request, ResourcePath path, ResourceDefinition def) {
        ListRequest listRequest = listRequest(request, def);
        ObjectNode list = registry.list(def, path.namespace(), listRequest, matcher(def, listRequest));
        if (responses.wantsTable(request)) {
            List<ObjectNode> items = new ArrayList<>();
            list.path("items").forEach(item -> items.add((ObjectNode) item));
            ObjectNode table = def.table().toTable(mapper, items, (ObjectNode) list.path("metadata"),
                    includeObject(request), clock);
            return responses.json(200, table);
        }
        return responses.negotiated(request, 200, list);
    }

    private ApiResponse watch(ApiRequest request, ResourcePath path, ResourceDefinition def) {
        String upgrade = request.header("Upgrade");
        if (upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket")) {
            // Watches are streamed over HTTP (API Gateway cannot upgrade these requests). Refuse at once: clients
            // such as fabric8 then fall back to an HTTP watch, which they do for 200 or 503, but only after
            // reading a 200's body to its end — an endless watch stream.
            throw new ApiException(503, "ServiceUnavailable", "watch over WebSocket is not supported; "
                    + "use an HTTP watch (GET with watch=true)", null);
        }
        ListRequest listRequest = listRequest(request, def);
        String timeoutSeconds = request.param("timeoutSeconds");
        long timeoutMillis = WatchTimeout.of(timeoutSeconds == null ? null : parseLong(timeoutSeconds,
                "timeoutSeconds"), ThreadLocalRandom.current()).toMillis();
        UnaryOperator<ObjectNode> encoding = responses.wantsTable(request)
                ? new TableWatchEvents(mapper, def, includeObject(request), clock) : UnaryOperator.identity();
        WatchStream stream = new WatchStream(mapper, registry, def, path.namespace(), listRequest,
                matcher(def, listRequest), request.flag("allowWatchBookmarks"), timeoutMillis, encoding);
        return new ApiResponse.Streaming(200, Map.of("Content-Type", "application/json",
                "Transfer-Encoding", "chunked"), stream);
    }

    private ApiResponse delete(ApiRequest request, ResourcePath path, ResourceDefinition def) {
        DeleteOptions options = deleteOptions(request);
        GenericRegistry.DeleteResult result = registry.delete(def, path.namespace(), path.name(), options);
        return responses.object(request, result.deleted() ? 200 : 202, result.object(), def);
    }

    private ApiResponse deleteCollection(ApiRequest request, ResourcePath path, ResourceDefinition def) {
        ListRequest listRequest = listRequest(request, def);
        ObjectNode list = registry.list(def, path.namespace(), listRequest, matcher(def, listRequest));
        DeleteOptions options = deleteOptions(request);
        ArrayNode items = mapper.createArrayNode();
        for (JsonNode item : list.path("items")) {
            try {
                items.add(registry.delete(def, Meta.namespace(item), Meta.name(item), options).object());
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e; // deleted by someone else meanwhile is fine; anything else is not
                }
            }
        }
        ((ObjectNode) list).set("items", items);
        return responses.negotiated(request, 200, list);
    }

    ListRequest listRequest(ApiRequest request, ResourceDefinition def) {
        try {
            FieldSelector fields = FieldSelector.parse(request.param("fieldSelector"));
            java.util.Set<String> supported = new java.util.HashSet<>(GenericRegistry.selectableFields(def,
                    mapper.createObjectNode()).keySet());
            fields.requireSupported(supported, def.plural());
            return new ListRequest(LabelSelector.parse(request.param("labelSelector")), fields,
                    request.param("limit") == null ? 0 : parseLong(request.param("limit"), "limit"),
                    request.param("continue"), request.param("resourceVersion"),
                    request.param("resourceVersionMatch"));
        } catch (SelectorException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static Predicate<ObjectNode> matcher(ResourceDefinition def, ListRequest request) {
        if (request.labels().isEverything() && request.fields().terms().isEmpty()) {
            return o -> true;
        }
        return object -> request.labels().matches(object)
                && request.fields().matches(object, GenericRegistry.selectableFields(def, object)::get);
    }

    private DeleteOptions deleteOptions(ApiRequest request) {
        String policy = request.param("propagationPolicy");
        Long grace = request.param("gracePeriodSeconds") == null ? null
                : parseLong(request.param("gracePeriodSeconds"), "gracePeriodSeconds");
        String uid = null;
        String version = null;
        boolean dryRun = isDryRun(request);
        if (request.body().length > 0) {
            JsonNode body = bodies.parse(request, Bodies.OBJECT_TYPES);
            if (body.hasNonNull("propagationPolicy")) {
                policy = body.get("propagationPolicy").asText();
            }
            if (body.has("orphanDependents") && body.get("orphanDependents").isBoolean() && policy == null) {
                policy = body.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
            }
            if (body.hasNonNull("gracePeriodSeconds")) {
                grace = body.get("gracePeriodSeconds").asLong();
            }
            uid = body.path("preconditions").hasNonNull("uid") ? body.path("preconditions").get("uid").asText() : null;
            version = body.path("preconditions").hasNonNull("resourceVersion")
                    ? body.path("preconditions").get("resourceVersion").asText() : null;
            dryRun = dryRun || body.path("dryRun").toString().contains("All");
        }
        if (policy != null && !List.of("Orphan", "Background", "Foreground").contains(policy)) {
            throw new ApiException(422, "Invalid", "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: "
                    + "Unsupported value: \"" + policy + "\": supported values: \"Foreground\", \"Background\", "
                    + "\"Orphan\"", null);
        }
        return new DeleteOptions(policy, grace, uid, version, dryRun, request.requireUser());
    }

    static WriteOptions writeOptions(ApiRequest request) {
        String manager = request.param("fieldManager");
        if (manager == null || manager.isEmpty()) {
            String agent = request.header("User-Agent");
            manager = agent == null || agent.isEmpty() ? "unknown" : agent.split("/", 2)[0];
        }
        return new WriteOptions(isDryRun(request), manager, "Strict".equals(request.param("fieldValidation")), false,
                request.requireUser());
    }

    private static boolean isDryRun(ApiRequest request) {
        String dryRun = request.param("dryRun");
        if (dryRun == null || dryRun.isEmpty()) {
            return false;
        }
        if (!dryRun.equals("All")) {
            throw ApiException.badRequest("unsupported dryRun value \"" + dryRun + "\": only \"All\" is supported");
        }
        return true;
    }

    private static TableConvertor.IncludeObject includeObject(ApiRequest request) {
        String include = request.param("includeObject");
        if (include == null || include.isEmpty() || include.equals("Metadata")) {
            return TableConvertor.IncludeObject.METADATA;
        }
        return switch (include) {
            case "Object" -> TableConvertor.IncludeObject.OBJECT;
            case "None" -> TableConvertor.IncludeObject.NONE;
            default -> throw ApiException.badRequest("includeObject must be None, Metadata or Object, not "
                    + include);
        };
    }

    private static void requireName(ResourcePath path, String method) {
        if (path.name().isEmpty()) {
            throw ApiException.methodNotAllowed(method + " needs a name in the path");
        }
    }

    static long parseLong(String value, String parameter) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid value for " + parameter + ": \"" + value + "\" is not an integer");
        }
    }
}
