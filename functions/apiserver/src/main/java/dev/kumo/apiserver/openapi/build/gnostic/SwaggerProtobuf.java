package dev.kumo.apiserver.openapi.build.gnostic;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Encodes a swagger 2.0 document as gnostic's {@code openapi.v2.Document} protobuf: what kube-apiserver serves at
 * {@code /openapi/v2} for {@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}, and the only form
 * of the v2 document kubectl 1.28 accepts.
 */
public final class SwaggerProtobuf {
    private static final Messages MESSAGES = OpenApiV2Messages.create();

    private SwaggerProtobuf() {
    }

    public static byte[] encode(JsonNode swagger) {
        return MESSAGES.encode("Document", swagger, "").toByteArray();
    }
}
