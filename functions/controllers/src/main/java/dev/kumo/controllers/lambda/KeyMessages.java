package dev.kumo.controllers.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The queue messages' bodies and SQS FIFO attributes. A loop's message is its key as JSON; the message group is the
 * key (so one key never runs twice at once and its deliveries stay in order), hashed when longer than SQS's 128
 * characters; the deduplication id is a hash of the key and the delivery's cause.
 */
final class KeyMessages {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_GROUP_ID = 128;

    private KeyMessages() {
    }

    static String body(ObjectKey key) {
        return keyJson(key).toString();
    }

    static ObjectNode keyJson(ObjectKey key) {
        return MAPPER.createObjectNode().put("resource", key.resource()).put("namespace", key.namespace())
                .put("name", key.name());
    }

    static ObjectKey key(String body) {
        return key(parse(body));
    }

    static ObjectKey key(JsonNode json) {
        if (!json.path("resource").isTextual() || !json.path("name").isTextual()) {
            throw new IllegalArgumentException("not a loop key: " + json);
        }
        return new ObjectKey(json.path("resource").asText(), json.path("namespace").asText(""),
                json.path("name").asText());
    }

    static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON message: " + body, e);
        }
    }

    static String groupId(ObjectKey key) {
        String text = key.toString();
        return text.length() <= MAX_GROUP_ID && text.chars().allMatch(c -> c > 32 && c < 127) ? text : sha256(text);
    }

    static String deduplicationId(ObjectKey key, String cause) {
        return sha256(key + "\u0000" + cause);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
