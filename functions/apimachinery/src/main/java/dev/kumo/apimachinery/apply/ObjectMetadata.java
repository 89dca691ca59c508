package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading and writing {@code metadata.managedFields} of an object. */
final class ObjectMetadata {

    private static final String METADATA = "metadata";
    private static final String MANAGED_FIELDS = "managedFields";

    private ObjectMetadata() {
    }

    /** The raw {@code metadata.managedFields}, or null. */
    static JsonNode managedFields(JsonNode object) {
        return object == null ? null : object.path(METADATA).get(MANAGED_FIELDS);
    }

    /** A copy of {@code object} (an empty object if null) without {@code metadata.managedFields}. */
    static ObjectNode withoutManagedFields(ObjectNode object) {
        ObjectNode copy = object == null ? JsonNodeFactory.instance.objectNode() : object.deepCopy();
        if (copy.get(METADATA) instanceof ObjectNode metadata) {
            metadata.remove(MANAGED_FIELDS);
        }
        return copy;
    }

    /** Sets {@code metadata.managedFields}, or removes it when there are no entries. */
    static void setManagedFields(ObjectNode object, ArrayNode managedFields) {
        if (managedFields.isEmpty()) {
            if (object.get(METADATA) instanceof ObjectNode metadata) {
                metadata.remove(MANAGED_FIELDS);
            }
            return;
        }
        JsonNode metadata = object.get(METADATA);
        ObjectNode target = metadata instanceof ObjectNode m ? m : object.putObject(METADATA);
        target.set(MANAGED_FIELDS, managedFields);
    }
}
