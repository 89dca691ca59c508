package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.apply.ApplyResult;
import dev.kumo.apimachinery.apply.MalformedApplyConfigurationException;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.patch.JsonMergePatch;
import dev.kumo.apimachinery.patch.JsonPatch;
import dev.kumo.apimachinery.patch.MalformedPatchException;
import dev.kumo.apimachinery.patch.ObjectPatcher;
import dev.kumo.apimachinery.patch.PatchApplicationException;
import dev.kumo.apimachinery.patch.StrategicMergePatch;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.http.Bodies;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.registry.WriteOptions;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * PATCH in its four media types. A patch is applied to the current object inside the registry's read-modify-write
 * loop, so a concurrent change makes it re-apply to the newer object instead of failing. Server-side apply
 * creates the object when it does not exist yet.
 */
public final class PatchApplier {
    private final GenericRegistry registry;
    private final Bodies bodies;
    private final ObjectPatcher merge = new JsonMergePatch();
    private final ObjectPatcher json = new JsonPatch();
    private final ObjectPatcher strategic;

    public PatchApplier(GenericRegistry registry, Bodies bodies) {
        this.registry = registry;
        this.bodies = bodies;
        this.strategic = new StrategicMergePatch(registry.fieldManagement().schema());
    }

    public ApiResponse patch(ApiRequest request, ResourceDefinition def, String namespace, String name,
                             String subresource, WriteOptions options,
                             BiFunction<Integer, ObjectNode, ApiResponse> respond) {
        return patch(request, def, namespace, name, subresource, options, UnaryOperator.identity(),
                (current, patchedView) -> patchedView, respond);
    }

    /**
     * Patches a view of the object ({@code toView}: e.g. a Scale for the scale subresource); {@code fromView} makes
     * the new object from the current one and the patched view.
     */
    public ApiResponse patch(ApiRequest request, ResourceDefinition def, String namespace, String name,
                             String subresource, WriteOptions options, UnaryOperator<ObjectNode> toView,
                             BinaryOperator<ObjectNode> fromView,
                             BiFunction<Integer, ObjectNode, ApiResponse> respond) {
        String type = Bodies.mediaType(request.header("Content-Type"));
        if (!Patches.TYPES.contains(type)) {
            throw ApiException.unsupportedMediaType(request.header("Content-Type"), Patches.TYPES);
        }
        JsonNode patch = bodies.parse(request, List.of(type));
        if (type.equals(Patches.APPLY)) {
            return apply(request, def, namespace, name, subresource, options,
                    Patches.requireObject(patch, "an apply configuration"), respond);
        }
        ObjectPatcher patcher = switch (type) {
            case Patches.JSON -> json;
            case Patches.STRATEGIC -> strategic;
            default -> merge;
        };
        ObjectNode patched = registry.guaranteedUpdate(def, namespace, name, subresource, options, null,
                current -> fromView.apply(current, applyPatch(patcher, toView.apply(current), patch)));
        return respond.apply(200, patched);
    }

    private ApiResponse apply(ApiRequest request, ResourceDefinition def, String namespace, String name,
                              String subresource, WriteOptions options, ObjectNode applied,
                              BiFunction<Integer, ObjectNode, ApiResponse> respond) {
        String manager = request.param("fieldManager");
        if (manager == null || manager.isEmpty()) {
            throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
                    + "Required value: is required for apply patch", null);
        }
        boolean force = request.flag("force");
        WriteOptions applyOptions = new WriteOptions(options.dryRun(), manager, options.strictFields(), true,
                options.user());
        ObjectNode metadata = Meta.of(applied);
        String appliedName = metadata.path("name").asText("");
        if (!appliedName.isEmpty() && !appliedName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + appliedName + ") does not match the name on "
                    + "the URL (" + name + ")");
        }
        metadata.put("name", name);
        if (def.namespaced()) {
            metadata.put("namespace", namespace);
        }
        for (int attempt = 1; ; attempt++) {
            Optional<ObjectNode> live = registry.find(def, namespace, name);
            if (live.isEmpty()) {
                if (!subresource.isEmpty()) {
                    throw ApiException.notFound(def.group(), def.kind(), def.plural(), name);
                }
                ObjectNode toCreate = applied(fieldsApply(null, applied, manager, "", force));
                try {
                    return respond.apply(201, registry.create(def, namespace, toCreate, applyOptions));
                } catch (ApiException e) {
                    if (e.code() != 409 || !"AlreadyExists".equals(e.reason()) || attempt > 3) {
                        throw e;
                    }
                    continue; // created meanwhile: apply to it instead
                }
            }
            ObjectNode updated = registry.guaranteedUpdate(def, namespace, name, subresource, applyOptions, null,
                    current -> applied(fieldsApply(current, applied, manager, subresource, force)));
            return respond.apply(200, updated);
        }
    }

    private ApplyResult fieldsApply(ObjectNode live, ObjectNode applied, String manager, String subresource,
                                    boolean force) {
        try {
            return registry.fieldManagement().apply(live, applied, manager, subresource, force);
        } catch (MalformedApplyConfigurationException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static ObjectNode applied(ApplyResult result) {
        return switch (result) {
            case ApplyResult.Applied applied -> applied.object();
            case ApplyResult.Conflicted conflicted -> throw new ApiException(409, "Conflict", conflicted.message(),
                    new ApiException.Details(null, null, null, conflicted.conflicts().stream()
                            .map(c -> new ApiException.Cause("FieldManagerConflict", c.message(), c.field()))
                            .toList(), null));
        };
    }

    private static ObjectNode applyPatch(ObjectPatcher patcher, ObjectNode current, JsonNode patch) {
        try {
            return patcher.apply(current, patch);
        } catch (MalformedPatchException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (PatchApplicationException e) {
            throw new ApiException(422, "Invalid", e.getMessage(), null);
        }
    }
}
