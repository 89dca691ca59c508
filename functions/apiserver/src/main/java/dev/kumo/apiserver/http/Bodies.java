package dev.kumo.apiserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.protobuf.KubernetesProtobuf;
import dev.kumo.apiserver.protobuf.ProtobufException;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** Decodes request bodies (JSON or YAML) and checks their media type and size. */
public final class Bodies {
    /** kube-apiserver's limit on a request body. */
    public static final int MAX_REQUEST_BYTES = 3 * 1024 * 1024;
    /** What an object body may be: kubectl's imperative commands and client-go's typed clients send protobuf. */
    public static final List<String> OBJECT_TYPES = List.of("application/json", "application/yaml",
            KubernetesProtobuf.MEDIA_TYPE);

    private final ObjectMapper json;
    private final YAMLMapper yaml = new YAMLMapper();
    private final KubernetesProtobuf protobuf;

    public Bodies(ObjectMapper json, KubernetesProtobuf protobuf) {
        this.json = json;
        this.protobuf = protobuf;
    }

    /** The body as an object, for create and update. */
    public ObjectNode object(ApiRequest request) {
        JsonNode node = parse(request, OBJECT_TYPES);
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("the request body must be a JSON object, got " + node.getNodeType()
                    .toString().toLowerCase(Locale.ROOT));
        }
        return object;
    }

    /** The body parsed with any of the given media types (patches have their own). */
    public JsonNode parse(ApiRequest request, List<String> accepted) {
        byte[] body = request.body();
        if (body.length > MAX_REQUEST_BYTES) {
            throw ApiException.tooLarge("the request body is " + body.length + " bytes; the limit is "
                    + MAX_REQUEST_BYTES + " bytes");
        }
        String mediaType = mediaType(request.header("Content-Type"));
        if (!accepted.contains(mediaType)) {
            throw ApiException.unsupportedMediaType(request.header("Content-Type"), accepted);
        }
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty");
        }
        if (mediaType.equals(KubernetesProtobuf.MEDIA_TYPE)) {
            try {
                return protobuf.decode(body);
            } catch (ProtobufException e) {
                throw ApiException.badRequest("the request body is not valid Kubernetes protobuf: " + e.getMessage());
            }
        }
        try {
            JsonNode node = mediaType.endsWith("yaml") ? yaml.readTree(body) : json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid " + (mediaType.endsWith("yaml") ? "YAML" : "JSON")
                    + ": " + e.getOriginalMessage() + locationOf(e));
        } catch (IOException e) {
            throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
        }
    }

    /** The media type without parameters, lower case; JSON when the client sent none. */
    public static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/json";
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/x-yaml") || type.equals("text/yaml") ? "application/yaml" : type;
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
