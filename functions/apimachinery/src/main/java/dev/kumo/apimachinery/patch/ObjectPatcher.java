package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A patch type: a pure function from an object and a patch document to the patched object. */
@FunctionalInterface
public interface ObjectPatcher {

    /**
     * Applies {@code patch} to {@code original}. Neither argument is modified.
     *
     * @throws MalformedPatchException if the patch document is invalid for this patch type
     * @throws PatchApplicationException if the patch does not apply to this object
     */
    ObjectNode apply(ObjectNode original, JsonNode patch);
}
