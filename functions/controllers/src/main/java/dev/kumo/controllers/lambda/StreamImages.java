package dev.kumo.controllers.lambda;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a stream record's image from the Lambda events library's attribute model to the SDK's, which the store's
 * decoder reads. Every DynamoDB type is copied; an attribute of no known type is an error, not a silent null.
 */
final class StreamImages {
    private StreamImages() {
    }

    static Map<String, AttributeValue> toSdk(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        Map<String, AttributeValue> copy = new LinkedHashMap<>();
        image.forEach((name, value) -> copy.put(name, toSdk(name, value)));
        return copy;
    }

    private static AttributeValue toSdk(String name,
            com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue value) {
        AttributeValue.Builder builder = AttributeValue.builder();
        if (value.getS() != null) {
            return builder.s(value.getS()).build();
        }
        if (value.getN() != null) {
            return builder.n(value.getN()).build();
        }
        if (value.getB() != null) {
            return builder.b(bytes(value.getB())).build();
        }
        if (value.getBOOL() != null) {
            return builder.bool(value.getBOOL()).build();
        }
        if (value.getNULL() != null) {
            return builder.nul(value.getNULL()).build();
        }
        if (value.getSS() != null) {
            return builder.ss(value.getSS()).build();
        }
        if (value.getNS() != null) {
            return builder.ns(value.getNS()).build();
        }
        if (value.getBS() != null) {
            return builder.bs(value.getBS().stream().map(StreamImages::bytes).toList()).build();
        }
        if (value.getM() != null) {
            return builder.m(toSdk(value.getM())).build();
        }
        if (value.getL() != null) {
            List<AttributeValue> list = value.getL().stream().map(v -> toSdk(name, v)).toList();
            return builder.l(list).build();
        }
        throw new IllegalArgumentException("attribute " + name + " of the stream image has no known type");
    }

    private static SdkBytes bytes(ByteBuffer buffer) {
        return SdkBytes.fromByteBuffer(buffer.asReadOnlyBuffer());
    }
}
