package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.http.Bodies;
import dev.kumo.apiserver.http.ResourcePath;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.registry.WriteOptions;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.StringJoiner;

/** status, scale, binding, finalize and token. */
final class Subresources {
    private final ObjectMapper mapper;
    private final GenericRegistry registry;
    private final Bodies bodies;
    private final PatchApplier patches;
    private final Responses responses;
    private final TokenRequests tokens;

    Subresources(ObjectMapper mapper, GenericRegistry registry, Bodies bodies, PatchApplier patches,
                 Responses responses, TokenRequests tokens) {
        this.mapper = mapper;
        this.registry = registry;
        this.bodies = bodies;
        this.patches = patches;
        this.responses = responses;
        this.tokens = tokens;
    }

    ApiResponse handle(ApiRequest request, ResourcePath path, ResourceDefinition def) {
        WriteOptions options = ResourceHandler.writeOptions(request);
        return switch (path.subresource()) {
            case "status" -> status(request, path, def, options);
            case "scale" -> scale(request, path, def, options);
            case "binding" -> binding(request, path, def, options);
            case "finalize" -> finalizeNamespace(request, path, def, options);
            case "token" -> tokens.handle(request, path, def);
            default -> throw ApiException.notFoundPath("unknown subresource " + path.subresource());
        };
    }

    private ApiResponse status(ApiRequest request, ResourcePath path, ResourceDefinition def, WriteOptions options) {
        return switch (request.method()) {
            case "GET" -> responses.negotiated(request, 200, registry.get(def, path.namespace(), path.name()));
            case "PUT" -> responses.negotiated(request, 200, registry.update(def, path.namespace(), path.name(),
                    "status", bodies.object(request), options));
            case "PATCH" -> patches.patch(request, def, path.namespace(), path.name(), "status", options,
                    (code, object) -> responses.negotiated(request, code, object));
            default -> throw ApiException.methodNotAllowed(request.method() + " is not supported on "
                    + def.plural() + "/status");
        };
    }

    /** autoscaling/v1 Scale, a view of spec.replicas, status.replicas and the selector. */
    private ApiResponse scale(ApiRequest request, ResourcePath path, ResourceDefinition def, WriteOptions options) {
        return switch (request.method()) {
            case "GET" -> responses.negotiated(request, 200, toScale(registry.get(def, path.namespace(), path.name())));
            case "PUT" -> {
                ObjectNode scale = bodies.object(request);
                JsonNode replicas = scale.path("spec").path("replicas");
                if (!replicas.canConvertToLong() || replicas.asLong() < 0) {
                    throw new ApiException(422, "Invalid", "Scale.autoscaling \"" + path.name()
                            + "\" is invalid: spec.replicas: Invalid value: " + replicas
                            + ": must be greater than or equal to 0", null);
                }
                String pinned = Meta.resourceVersion(scale);
                ObjectNode updated = registry.guaranteedUpdate(def, path.namespace(), path.name(), "", options,
                        pinned.isEmpty() ? null : pinned, current -> {
                            ((ObjectNode) current.path("spec")).put("replicas", replicas.asLong());
                            return current;
                        });
                yield responses.negotiated(request, 200, toScale(updated));
            }
            case "PATCH" -> patches.patch(request, def, path.namespace(), path.name(), "", options,
                    this::toScale, this::fromScaleOnto,
                    (code, object) -> responses.negotiated(request, code, toScale(object)));
            default -> throw ApiException.methodNotAllowed(request.method() + " is not supported on "
                    + def.plural() + "/scale");
        };
    }

    private ObjectNode toScale(ObjectNode workload) {
        ObjectNode scale = mapper.createObjectNode();
        scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        for (String field : new String[]{"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (workload.path("metadata").has(field)) {
                metadata.set(field, workload.path("metadata").get(field));
            }
        }
        scale.putObject("spec").put("replicas", workload.path("spec").path("replicas").asLong(0));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", workload.path("status").path("replicas").asLong(0));
        StringJoiner selector = new StringJoiner(",");
        workload.path("spec").path("selector").path("matchLabels").fields()
                .forEachRemaining(e -> selector.add(e.getKey() + "=" + e.getValue().asText()));
        status.put("selector", selector.toString());
        return scale;
    }

    /** The workload with the replicas of a patched Scale. */
    private ObjectNode fromScaleOnto(ObjectNode workload, ObjectNode scale) {
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.canConvertToLong() || replicas.asLong() < 0) {
            throw new ApiException(422, "Invalid", "Scale.autoscaling \"" + Meta.name(workload)
                    + "\" is invalid: spec.replicas: Invalid value: " + replicas
                    + ": must be greater than or equal to 0", null);
        }
        ((ObjectNode) workload.path("spec")).put("replicas", replicas.asLong());
        return workload;
    }

    /** POST pods/NAME/binding: assigns the pod to a node, once (Kubernetes' BindingREST). */
    private ApiResponse binding(ApiRequest request, ResourcePath path, ResourceDefinition def, WriteOptions options) {
        if (!request.method().equals("POST")) {
            throw ApiException.methodNotAllowed("only POST is supported on pods/binding");
        }
        ObjectNode binding = bodies.object(request);
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            throw new ApiException(422, "Invalid", "Binding \"" + path.name()
                    + "\" is invalid: target.name: Required value", null);
        }
        String uid = binding.path("metadata").path("uid").asText("");
        ObjectNode bound = registry.guaranteedUpdate(def, path.namespace(), path.name(), "binding", options, null,
                pod -> {
                    if (!uid.isEmpty() && !uid.equals(Meta.uid(pod))) {
                        throw ApiException.conflict("", "pods", path.name(), "the UID in the binding (" + uid
                                + ") does not match the pod's (" + Meta.uid(pod) + ")");
                    }
                    if (Meta.isBeingDeleted(pod)) {
                        throw ApiException.conflict("", "pods", path.name(), "pod is being deleted, cannot be "
                                + "assigned to a host");
                    }
                    String current = pod.path("spec").path("nodeName").asText("");
                    if (!current.isEmpty()) {
                        throw ApiException.conflict("", "pods", path.name(), "pod " + path.name()
                                + " is already assigned to node \"" + current + "\"");
                    }
                    ((ObjectNode) pod.path("spec")).put("nodeName", node);
                    ObjectNode status = pod.has("status") ? (ObjectNode) pod.get("status") : pod.putObject("status");
                    ArrayNode conditions = status.has("conditions") ? (ArrayNode) status.get("conditions")
                            : status.putArray("conditions");
                    // One PodScheduled condition: a pod the scheduler marked Unschedulable before has one already.
                    for (int i = conditions.size() - 1; i >= 0; i--) {
                        if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
                            conditions.remove(i);
                        }
                    }
                    conditions.addObject().put("type", "PodScheduled").put("status", "True")
                            .putNull("lastProbeTime")
                            .put("lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                    return pod;
                });
        return responses.negotiated(request, 201, StatusBuilder.success(mapper, Meta.name(bound), "", "pods", null));
    }

    /** PUT namespaces/NAME/finalize: replaces spec.finalizers, which the namespace controller empties. */
    private ApiResponse finalizeNamespace(ApiRequest request, ResourcePath path, ResourceDefinition def,
                                          WriteOptions options) {
        if (!request.method().equals("PUT")) {
            throw ApiException.methodNotAllowed("only PUT is supported on namespaces/finalize");
        }
        JsonNode finalizers = bodies.object(request).path("spec").path("finalizers");
        ObjectNode updated = registry.guaranteedUpdate(def, "", path.name(), "finalize", options, null, ns -> {
            ((ObjectNode) ns.path("spec")).set("finalizers", finalizers.isArray() ? finalizers
                    : mapper.createArrayNode());
            return ns;
        });
        return responses.negotiated(request, 200, updated);
    }
}
