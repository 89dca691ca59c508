package dev.kumo.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SortedMap;

/**
 * The body of {@code GET /openapi/v3}, shaped as kube-apiserver's:
 * {@code {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=<HASH>"}}}}, paths sorted.
 */
final class V3Index {
    private static final ObjectMapper JSON = new ObjectMapper();

    private V3Index() {
    }

    static byte[] of(SortedMap<String, String> hashesByPath) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode paths = root.putObject("paths");
        hashesByPath.forEach((path, hash) -> paths.putObject(path).put("serverRelativeURL", serverRelativeUrl(path, hash)));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI v3 index", e);
        }
    }

    static String serverRelativeUrl(String path, String hash) {
        return "/openapi/v3/" + path + "?hash=" + hash;
    }
}
