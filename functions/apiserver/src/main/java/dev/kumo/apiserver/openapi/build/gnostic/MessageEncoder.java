package dev.kumo.apiserver.openapi.build.gnostic;

import com.fasterxml.jackson.databind.JsonNode;

/** Encodes the JSON form of one gnostic {@code openapi.v2} message type into its protobuf fields. */
@FunctionalInterface
interface MessageEncoder {
    /**
     * @param at the JSON pointer of {@code json} in the document, for error messages
     */
    void encode(JsonNode json, String at, ProtoWriter out, Messages messages);
}
