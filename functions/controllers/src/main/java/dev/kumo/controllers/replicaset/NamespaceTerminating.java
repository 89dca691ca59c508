package dev.kumo.controllers.replicaset;

import dev.kumo.apimachinery.client.ApiError;

/**
 * The refusal of a create in a namespace being deleted ({@code NamespaceTerminatingCause}): every further create
 * fails the same way and the namespace controller is removing the controller anyway, so it is not worth an event.
 */
final class NamespaceTerminating {
    private NamespaceTerminating() {
    }

    static boolean is(ApiError error) {
        return error.code() == 403 && error.getMessage() != null
                && error.getMessage().contains("because it is being terminated");
    }
}
