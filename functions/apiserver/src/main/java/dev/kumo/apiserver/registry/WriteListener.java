package dev.kumo.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.resources.ResourceDefinition;

/**
 * Told about writes the registry committed (never dry runs), after the store took them: the hook for the work a
 * Kubernetes controller would do in reaction, until kumo's control loops do it from the store's stream. A listener
 * must not fail the request: the write has happened.
 */
public interface WriteListener {

    default void created(ResourceDefinition def, ObjectNode object) {
    }

    /** Any update, subresources included; {@code old} is the state before it. */
    default void updated(ResourceDefinition def, ObjectNode object, ObjectNode old) {
    }

    /** The object is gone from the store (not only marked for deletion). */
    default void deleted(ResourceDefinition def, ObjectNode object) {
    }

    /** A create passed admission but the store refused it (e.g. the name is taken). */
    default void createFailed(ResourceDefinition def, ObjectNode object) {
    }
}
