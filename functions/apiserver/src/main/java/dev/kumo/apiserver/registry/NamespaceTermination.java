package dev.kumo.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apiserver.resources.ResourceDefinition;

/**
 * The namespace's own deletion rules (kube-apiserver's namespace {@code REST.Delete} and
 * {@code ShouldDeleteNamespaceDuringUpdate}): the first DELETE only marks the namespace (deletionTimestamp, phase
 * {@code Terminating}); it goes away once {@code spec.finalizers} is empty (the namespace controller empties it
 * through {@code namespaces/NAME/finalize} after deleting the content) and no {@code metadata.finalizers} remain.
 */
final class NamespaceTermination {
    static final String TERMINATING = "Terminating";

    private NamespaceTermination() {
    }

    static boolean isNamespace(ResourceDefinition def) {
        return def.group().isEmpty() && def.plural().equals("namespaces");
    }

    /** Whether a DELETE of this namespace must mark it instead of removing it. */
    static boolean deleteMarksOnly(ResourceDefinition def, ObjectNode namespace) {
        return isNamespace(def) && (!Meta.isBeingDeleted(namespace) || hasSpecFinalizers(namespace));
    }

    /** Whether an update that leaves no metadata finalizers may complete the deletion of this object. */
    static boolean mayCompleteDeletion(ResourceDefinition def, ObjectNode next) {
        return !isNamespace(def) || !hasSpecFinalizers(next);
    }

    /** Sets the phase to Terminating; true when it was not already. */
    static boolean markTerminating(ObjectNode namespace) {
        JsonNode status = namespace.get("status");
        ObjectNode writable = status instanceof ObjectNode node ? node : namespace.putObject("status");
        if (TERMINATING.equals(writable.path("phase").asText())) {
            return false;
        }
        writable.put("phase", TERMINATING);
        return true;
    }

    private static boolean hasSpecFinalizers(JsonNode namespace) {
        JsonNode finalizers = namespace.path("spec").path("finalizers");
        return finalizers.isArray() && !finalizers.isEmpty();
    }
}
