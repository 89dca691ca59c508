package dev.kumo.apiserver.openapi.build.gnostic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A JSON value as the block-style YAML gnostic stores in its {@code Any} messages (vendor extensions, defaults,
 * enums), laid out as Go's yaml.v3 lays out what Kubernetes documents hold: two-space indentation, sequences of
 * mappings as {@code - key: value}, strings plain unless that would read back as another type or break the
 * syntax. Where yaml.v3 would pick a block scalar (strings with line breaks), this writes a double-quoted string:
 * the same value, differently spelled.
 */
final class YamlText {
    private static final int INDENT = 2;
    private static final Pattern NOT_A_STRING_WHEN_PLAIN = Pattern.compile(String.join("|",
            "~|null|Null|NULL",
            "[yY]|yes|Yes|YES|[nN]|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
            "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?",
            "[-+]?\\.[0-9][0-9_]*([eE][-+]?[0-9]+)?",
            "0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+",
            "[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)",
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?",
            "<<"));
    private static final String INDICATORS_FIRST = "#,[]{}&*!|>'\"%@`";

    private YamlText() {
    }

    static String of(JsonNode value) {
        StringBuilder out = new StringBuilder();
        block(value, 0, out);
        return out.toString();
    }

    private static void block(JsonNode value, int indent, StringBuilder out) {
        if (value.isObject() && !value.isEmpty()) {
            mapping(value, indent, out);
        } else if (value.isArray() && !value.isEmpty()) {
            sequence(value, indent, out);
        } else {
            out.append(" ".repeat(indent)).append(scalar(value)).append('\n');
        }
    }

    private static void mapping(JsonNode object, int indent, StringBuilder out) {
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            out.append(" ".repeat(indent)).append(string(entry.getKey())).append(':');
            JsonNode value = entry.getValue();
            if (value.isContainerNode() && !value.isEmpty()) {
                out.append('\n');
                block(value, indent + INDENT, out);
            } else {
                out.append(' ').append(scalar(value)).append('\n');
            }
        }
    }

    /** Each item is laid out one level deeper, then its first line's indentation is replaced by {@code "- "}. */
    private static void sequence(JsonNode array, int indent, StringBuilder out) {
        for (Iterator<JsonNode> items = array.elements(); items.hasNext(); ) {
            StringBuilder item = new StringBuilder();
            block(items.next(), indent + INDENT, item);
            out.append(" ".repeat(indent)).append("- ").append(item, indent + INDENT, item.length());
        }
    }

    private static String scalar(JsonNode value) {
        if (value.isTextual()) {
            return string(value.asText());
        }
        if (value.isObject()) {
            return "{}";
        }
        if (value.isArray()) {
            return "[]";
        }
        return value.isNull() ? "null" : value.asText();
    }

    static String string(String value) {
        if (hasLineBreakOrControl(value) || value.isEmpty() || NOT_A_STRING_WHEN_PLAIN.matcher(value).matches()) {
            return doubleQuoted(value);
        }
        return plainAllowed(value) ? value : "'" + value.replace("'", "''") + "'";
    }

    private static boolean plainAllowed(String value) {
        char first = value.charAt(0);
        char last = value.charAt(value.length() - 1);
        boolean firstFollowedBySpace = value.length() == 1 || value.charAt(1) == ' ';
        return INDICATORS_FIRST.indexOf(first) < 0
                && !((first == '-' || first == '?' || first == ':') && firstFollowedBySpace)
                && !value.startsWith("---") && !value.startsWith("...")
                && first != ' ' && last != ' ' && last != ':'
                && !value.contains(": ") && !value.contains(" #");
    }

    private static boolean hasLineBreakOrControl(String value) {
        return value.chars().anyMatch(c -> c < 0x20 || c == 0x7F);
    }

    private static String doubleQuoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\x%02X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
