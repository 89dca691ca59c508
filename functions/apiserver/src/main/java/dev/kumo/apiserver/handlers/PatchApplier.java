package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.http.Bodies;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.registry.WriteOptions;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * PATCH: decodes the patch by its media type and applies it to the current object inside the registry's
 * read-modify-write loop, so a concurrent change makes it re-apply to the newer object instead of failing.
 */
public final class PatchApplier {
    private final ObjectMapper mapper;
    private final GenericRegistry registry;
    private final Bodies bodies;

    public PatchApplier(ObjectMapper mapper, GenericRegistry registry) {
        this.mapper = mapper;
        this.registry = registry;
        this.bodies = new Bodies(mapper);
    }

    public ApiResponse patch(ApiRequest request, ResourceDefinition def, String namespace, String name,
                             String subresource, WriteOptions options,
                             BiFunction<Integer, ObjectNode, ApiResponse> respond) {
        return patch(request, def, namespace, name, subresource, options, UnaryOperator.identity(),
                UnaryOperator.identity(), respond);
    }

    /**
     * Patches a view of the object ({@code toView}: e.g. a Scale for the scale subresource) and maps the patched
     * view back ({@code fromView}).
     */
    public ApiResponse patch(ApiRequest request, ResourceDefinition def, String namespace, String name,
                             String subresource, WriteOptions options, UnaryOperator<ObjectNode> toView,
                             UnaryOperator<ObjectNode> fromView,
                             BiFunction<Integer, ObjectNode, ApiResponse> respond) {
        String type = Bodies.mediaType(request.header("Content-Type"));
        if (!Patches.TYPES.contains(type)) {
            throw ApiException.unsupportedMediaType(request.header("Content-Type"), Patches.TYPES);
        }
        JsonNode patch = bodies.parse(request, List.of(type));
        ObjectNode patched = registry.guaranteedUpdate(def, namespace, name, subresource, options, null,
                current -> fromView.apply(apply(type, toView.apply(current), patch)));
        return respond.apply(200, patched);
    }

    private ObjectNode apply(String type, ObjectNode current, JsonNode patch) {
        return switch (type) {
            case Patches.MERGE -> Patches.requireObject(Patches.mergePatch(current, patch), "the merge patch");
            default -> throw ApiException.unsupportedMediaType(type, List.of(Patches.MERGE));
        };
    }
}
