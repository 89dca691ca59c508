package dev.kumo.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** One entry of {@code metadata.ownerReferences}: the owner by kind and name, and the uid it must still have. */
record OwnerReference(String apiVersion, String kind, String name, String uid, boolean controller,
                      boolean blockOwnerDeletion, JsonNode raw) {

    static List<OwnerReference> of(JsonNode object) {
        List<OwnerReference> references = new ArrayList<>();
        for (JsonNode reference : object.path("metadata").path("ownerReferences")) {
            references.add(new OwnerReference(reference.path("apiVersion").asText(""),
                    reference.path("kind").asText(""), reference.path("name").asText(""),
                    reference.path("uid").asText(""), reference.path("controller").asBoolean(false),
                    reference.path("blockOwnerDeletion").asBoolean(false), reference));
        }
        return references;
    }

    /** The API group of the owner's kind: the part of apiVersion before the slash, "" for the core group. */
    String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    @Override
    public String toString() {
        return kind + "/" + name + " (uid " + uid + ")";
    }
}
