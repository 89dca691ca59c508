package dev.kumo.apiserver.openapi.build;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Local JSON references ({@code {"$ref": "#/definitions/..."}}) within one OpenAPI document. */
final class JsonReferences {
    private static final String REF = "$ref";

    private JsonReferences() {
    }

    /** The reference a node makes, if it is a reference object. */
    static Optional<String> of(JsonNode node) {
        JsonNode ref = node.get(REF);
        return ref != null && ref.isTextual() ? Optional.of(ref.asText()) : Optional.empty();
    }

    /** The node a reference points to; fails on references that are not local or lead nowhere. */
    static JsonNode resolve(JsonNode document, String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException("only local references are supported, not " + ref);
        }
        JsonNode target = document.at(JsonPointer.compile(ref.substring(1)));
        if (target.isMissingNode()) {
            throw new IllegalStateException("dangling reference " + ref);
        }
        return target;
    }

    /** The node itself, or what it refers to if it is a reference object. */
    static JsonNode dereference(JsonNode document, JsonNode node) {
        return of(node).map(ref -> resolve(document, ref)).orElse(node);
    }

    /** Every reference reachable from {@code root}, following references transitively. */
    static Set<String> reachable(JsonNode document, JsonNode root) {
        Set<String> refs = new HashSet<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            Optional<String> ref = of(node);
            if (ref.isPresent() && refs.add(ref.get())) {
                pending.push(resolve(document, ref.get()));
            }
            node.elements().forEachRemaining(pending::push);
        }
        return refs;
    }

    /** The reference to entry {@code name} of the object at JSON pointer {@code container}. */
    static String to(String container, String name) {
        return "#" + container + "/" + name.replace("~", "~0").replace("/", "~1");
    }
}
