package dev.kumo.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.util.List;

/**
 * The 403 an admission plugin answers with, worded as Kubernetes' {@code admission.NewForbidden}:
 * {@code pods "web" is forbidden: <why>}. The name is the request's, else the object's name or generateName.
 */
public final class AdmissionDenied {
    private AdmissionDenied() {
    }

    public static ApiException of(AdmissionRequest request, String why) {
        return of(request.resource(), nameOf(request), why, List.of());
    }

    public static ApiException of(ResourceDefinition def, String name, String why, List<ApiException.Cause> causes) {
        String resource = def.group().isEmpty() ? def.plural() : def.plural() + "." + def.group();
        String message = name.isEmpty() ? resource + " is forbidden: " + why
                : resource + " \"" + name + "\" is forbidden: " + why;
        return new ApiException(403, "Forbidden", message,
                new ApiException.Details(name, def.group(), def.plural(), causes, null));
    }

    /** The name Kubernetes puts in the message: the request's, the object's, its generateName, else "Unknown". */
    public static String nameOf(AdmissionRequest request) {
        if (request.name() != null && !request.name().isEmpty()) {
            return request.name();
        }
        return nameOf(request.object());
    }

    public static String nameOf(JsonNode object) {
        if (object == null) {
            return "Unknown";
        }
        String name = Meta.name(object);
        if (!name.isEmpty()) {
            return name;
        }
        String generateName = object.path("metadata").path("generateName").asText("");
        return generateName.isEmpty() ? "Unknown" : generateName;
    }
}
