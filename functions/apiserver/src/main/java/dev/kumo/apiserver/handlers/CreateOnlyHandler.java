package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.http.Bodies;
import dev.kumo.apiserver.http.ResourcePath;
import dev.kumo.apiserver.resources.ResourceDefinition;

/**
 * Kinds that are never stored and answer only a create (POST to the collection) with a computed object, such as
 * the access reviews; every other method is refused with 405, as kube-apiserver refuses verbs a resource's storage
 * does not implement.
 */
public final class CreateOnlyHandler {
    /** Computes the answer to one create. */
    @FunctionalInterface
    public interface Creator {
        ObjectNode create(ResourceDefinition def, String namespace, ObjectNode body, UserInfo user);
    }

    private final Bodies bodies;
    private final Responses responses;
    private final Creator creator;

    public CreateOnlyHandler(Bodies bodies, Responses responses, Creator creator) {
        this.bodies = bodies;
        this.responses = responses;
        this.creator = creator;
    }

    public ApiResponse handle(ApiRequest request, ResourcePath path, ResourceDefinition def) {
        if (!request.method().equals("POST") || !path.name().isEmpty() || !path.subresource().isEmpty()) {
            throw new ApiException(405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource",
                    new ApiException.Details(path.name(), def.group(), def.plural(), null, null));
        }
        if (def.namespaced() && path.namespace().isEmpty()) {
            throw ApiException.notFoundPath("the server could not find the requested resource (" + def.plural()
                    + " are created within a namespace: /namespaces/<namespace>/" + def.plural() + ")");
        }
        ObjectNode answer = creator.create(def, path.namespace(), bodies.object(request), request.requireUser());
        return responses.negotiated(request, 201, answer);
    }
}
