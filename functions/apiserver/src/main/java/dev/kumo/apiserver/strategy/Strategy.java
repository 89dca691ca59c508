package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.errors.FieldError;

import java.util.List;
import java.util.Map;

/**
 * What makes a kind a kind, after Kubernetes' {@code rest.RESTCreateStrategy}/{@code RESTUpdateStrategy}: defaults,
 * the rules for create and update, validation, and the fields a field selector may use. The generic registry runs
 * the rules every object shares (names, uid, timestamps, generation) around these. Stateless.
 */
public interface Strategy {

    /**
     * The defaults Kubernetes applies when it decodes a request, before admission sees the object (e.g. a pod's
     * requests from its limits): on create, and on update before {@link #prepareForUpdate}; {@link #prepareForCreate}
     * runs after admission.
     */
    default void applyDefaults(ObjectNode object) {
    }

    /** Fills defaults and resets what a client may not set on create (status, when it has a subresource). */
    default void prepareForCreate(ObjectNode object) {
    }

    /** Keeps what an update of the main resource may not change (status, when it has a subresource). */
    default void prepareForUpdate(ObjectNode object, ObjectNode old) {
    }

    /** Problems with the object's kind-specific fields; metadata is checked by the registry. */
    default List<FieldError> validate(ObjectNode object) {
        return List.of();
    }

    /** Problems with an update, e.g. immutable fields; by default the same rules as create. */
    default List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
        return validate(object);
    }

    /** Whether {@code metadata.generation} counts changes of the desired state (everything but metadata and status). */
    default boolean tracksGeneration() {
        return false;
    }

    /** Whether the object's names are DNS-1123 labels (namespaces, services) rather than subdomains. */
    default boolean namesAreLabels() {
        return false;
    }

    /**
     * Whether names need only be valid URL path segments ({@code path.IsValidPathSegmentName}) rather than DNS
     * names: RBAC's kinds, whose names such as {@code system:node} hold colons.
     */
    default boolean namesArePathSegments() {
        return false;
    }

    /** Values of the fields a field selector may name, beyond metadata.name and metadata.namespace. */
    default Map<String, String> selectableFields(ObjectNode object) {
        return Map.of();
    }
}
