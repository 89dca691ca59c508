package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;

import java.util.Optional;

/** Reading and making {@code metadata.ownerReferences}, as {@code metav1.GetControllerOf} and friends. */
public final class OwnerReferences {
    private OwnerReferences() {
    }

    /** The owner reference with {@code controller: true}, if any. */
    public static Optional<JsonNode> controllerOf(JsonNode object) {
        for (JsonNode reference : object.path("metadata").path("ownerReferences")) {
            if (reference.path("controller").asBoolean(false)) {
                return Optional.of(reference);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code object}'s controller is the object with {@code ownerUid}. */
    public static boolean isControlledBy(JsonNode object, String ownerUid) {
        return controllerOf(object).map(ref -> ref.path("uid").asText("").equals(ownerUid)).orElse(false);
    }

    /** Whether a controller reference names an owner of {@code kind} in API group {@code group} ("" for core). */
    public static boolean refersTo(JsonNode reference, String group, String kind) {
        if (!reference.path("kind").asText("").equals(kind)) {
            return false;
        }
        String apiVersion = reference.path("apiVersion").asText("");
        int slash = apiVersion.indexOf('/');
        return (slash < 0 ? "" : apiVersion.substring(0, slash)).equals(group);
    }

    /**
     * The JSON merge patch that sets {@code object}'s owner references to {@code references} (none: the field
     * removed), carrying the resourceVersion it was read at so that a concurrent change fails with a conflict.
     */
    public static ObjectNode patch(JsonNode object, ArrayNode references) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        ObjectNode metadata = patch.putObject("metadata").put("resourceVersion", Meta.resourceVersion(object));
        if (references.isEmpty()) {
            metadata.putNull("ownerReferences");
        } else {
            metadata.set("ownerReferences", references);
        }
        return patch;
    }

    /**
     * A controller reference to {@code owner} ({@code metav1.NewControllerRef}): blockOwnerDeletion is true so
     * that a foreground deletion of the owner waits for its dependents.
     */
    public static ObjectNode controllerRef(JsonNode owner, String apiVersion, String kind) {
        return JsonNodeFactory.instance.objectNode()
                .put("apiVersion", apiVersion)
                .put("kind", kind)
                .put("name", Meta.name(owner))
                .put("uid", Meta.uid(owner))
                .put("controller", true)
                .put("blockOwnerDeletion", true);
    }
}
