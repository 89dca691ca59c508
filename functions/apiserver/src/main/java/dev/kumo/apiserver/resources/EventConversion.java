package dev.kumo.apiserver.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Events are stored once, in the core/v1 form, and served at events.k8s.io/v1 too, whose fields carry other
 * names (Kubernetes does the same conversion).
 */
public final class EventConversion implements Conversion {
    /** events.k8s.io/v1 field name → core/v1 field name. */
    private static final Map<String, String> RENAMED = Map.of(
            "regarding", "involvedObject",
            "note", "message",
            "reportingController", "reportingComponent",
            "deprecatedSource", "source",
            "deprecatedFirstTimestamp", "firstTimestamp",
            "deprecatedLastTimestamp", "lastTimestamp",
            "deprecatedCount", "count");

    @Override
    public ObjectNode toStorage(ObjectNode served) {
        ObjectNode stored = served.deepCopy();
        RENAMED.forEach((servedName, storedName) -> move(stored, servedName, storedName));
        stored.put("apiVersion", "v1");
        return stored;
    }

    @Override
    public ObjectNode fromStorage(ObjectNode stored) {
        ObjectNode served = stored.deepCopy();
        RENAMED.forEach((servedName, storedName) -> move(served, storedName, servedName));
        return served;
    }

    private static void move(ObjectNode object, String from, String to) {
        JsonNode value = object.remove(from);
        if (value != null && !value.isNull()) {
            object.set(to, value);
        }
    }
}
