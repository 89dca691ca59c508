package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Comparing pod templates as the deployment controller and {@code kubectl rollout undo} do. */
final class Templates {
    private Templates() {
    }

    /**
     * {@code EqualIgnoreHash}: the same template but for the {@code pod-template-hash} label (a replica set's
     * template carries it, the deployment's does not), compared semantically.
     */
    static boolean equalIgnoringHash(JsonNode a, JsonNode b) {
        return SemanticJson.equal(withoutHash(a), withoutHash(b));
    }

    private static JsonNode withoutHash(JsonNode template) {
        if (!(template instanceof ObjectNode object)) {
            return template;
        }
        ObjectNode copy = object.deepCopy();
        JsonNode labels = copy.path("metadata").path("labels");
        if (labels instanceof ObjectNode labelObject) {
            labelObject.remove(DeploymentRun.POD_TEMPLATE_HASH);
        }
        return copy;
    }
}
