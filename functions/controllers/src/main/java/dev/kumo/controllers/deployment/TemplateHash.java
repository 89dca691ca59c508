package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code pod-template-hash} of a deployment's template, Kubernetes' {@code controller.ComputeHash}: FNV-32a
 * over the template (then over the collision count, as 8 little-endian bytes, when the deployment has one), the
 * 32-bit sum written in decimal and each digit mapped to {@code utilrand.SafeEncodeString}'s alphabet. Kubernetes
 * hashes its Go struct's printed form; kumo hashes a canonical JSON form instead (keys sorted, unset fields left
 * out, so semantically equal templates hash alike). Same idea and shape ({@code 7d9f8c6b5}), not the same values.
 */
public final class TemplateHash {
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private TemplateHash() {
    }

    public static String of(JsonNode template, Integer collisionCount) {
        JsonNode pruned = SemanticJson.pruned(template);
        byte[] canonical = (pruned == null ? "{}" : canonical(pruned)).getBytes(StandardCharsets.UTF_8);
        int hash = fnv(FNV_OFFSET, canonical);
        if (collisionCount != null) {
            byte[] bytes = new byte[8];
            int count = collisionCount;
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) (count >>> (8 * i));
            }
            hash = fnv(hash, bytes);
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    /** {@code utilrand.SafeEncodeString}: every character to the alphabet by its code modulo 27. */
    static String safeEncode(String text) {
        StringBuilder encoded = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            encoded.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
        }
        return encoded.toString();
    }

    private static int fnv(int start, byte[] bytes) {
        int hash = start;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    private static String canonical(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(TextNode.valueOf(field.getKey())).append(':');
                write(field.getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isNumber()) {
            out.append(node.decimalValue().stripTrailingZeros().toPlainString());
        } else {
            out.append(node);
        }
    }
}
