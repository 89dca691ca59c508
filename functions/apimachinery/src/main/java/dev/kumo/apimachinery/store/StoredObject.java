package dev.kumo.apimachinery.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An object as the store holds it at {@code revision}; {@code metadata.resourceVersion} equals the revision. */
public record StoredObject(ObjectKey key, long revision, ObjectNode value) {
}
