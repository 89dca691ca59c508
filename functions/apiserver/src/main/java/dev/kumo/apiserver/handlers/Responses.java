package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.protobuf.KubernetesProtobuf;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Encodes answers: JSON (or YAML when asked for), and single objects as one-row Tables for kubectl get. */
public final class Responses {
    private final ObjectMapper mapper;
    private final YAMLMapper yaml = new YAMLMapper();
    private final Clock clock;
    private final KubernetesProtobuf protobuf;

    public Responses(ObjectMapper mapper, Clock clock, KubernetesProtobuf protobuf) {
        this.mapper = mapper;
        this.clock = clock;
        this.protobuf = protobuf;
    }

    public ApiResponse json(int status, ObjectNode body) {
        try {
            return new ApiResponse.Complete(status, Map.of("Content-Type", "application/json"),
                    mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not encode a response", e);
        }
    }

    /** One object; as a Table if the client asked for one (kubectl get NAME). */
    public ApiResponse object(ApiRequest request, int status, ObjectNode object, ResourceDefinition def) {
        if (wantsTable(request)) {
            ObjectNode metadata = mapper.createObjectNode();
            metadata.put("resourceVersion", object.path("metadata").path("resourceVersion").asText(""));
            return json(status, def.table().toTable(mapper, List.of(object), metadata,
                    dev.kumo.apiserver.table.TableConvertor.IncludeObject.METADATA, clock));
        }
        return negotiated(request, status, object);
    }

    /**
     * An object or list in the first media type of the Accept header this server can produce for it: protobuf
     * (client-go's typed clients ask for it first), YAML, or JSON.
     */
    public ApiResponse negotiated(ApiRequest request, int status, ObjectNode object) {
        if (prefersProtobuf(request) && protobuf.supports(object.path("apiVersion").asText(),
                object.path("kind").asText())) {
            return new ApiResponse.Complete(status, Map.of("Content-Type", KubernetesProtobuf.MEDIA_TYPE),
                    protobuf.encode(object));
        }
        if (wantsYaml(request)) {
            try {
                return new ApiResponse.Complete(status, Map.of("Content-Type", "application/yaml"),
                        yaml.writeValueAsBytes(object));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("could not encode a response", e);
            }
        }
        return json(status, object);
    }

    public ApiResponse status(ApiException error) {
        return json(error.code(), StatusBuilder.status(mapper, error));
    }

    public boolean wantsTable(ApiRequest request) {
        String accept = request.header("Accept");
        return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
    }

    /** Rejects an Accept header that names only media types this server cannot produce (406). */
    public void checkAcceptable(ApiRequest request) {
        String accept = request.header("Accept");
        if (accept == null || accept.isBlank()) {
            return;
        }
        for (String part : accept.split(",")) {
            String type = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (type.equals("*/*") || type.equals("application/*") || type.equals("application/json")
                    || type.equals("application/yaml") || type.equals(KubernetesProtobuf.MEDIA_TYPE)) {
                return;
            }
        }
        throw ApiException.notAcceptable(accept);
    }

    private static boolean prefersProtobuf(ApiRequest request) {
        String accept = request.header("Accept");
        return accept != null && accept.trim().toLowerCase(Locale.ROOT).startsWith(KubernetesProtobuf.MEDIA_TYPE);
    }

    private static boolean wantsYaml(ApiRequest request) {
        String accept = request.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).startsWith("application/yaml");
    }
}
