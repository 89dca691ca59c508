package dev.kumo.apimachinery.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An RFC 6901 JSON Pointer: {@code ""} is the whole document, {@code "/a/0"} the first item of member
 * {@code a}; {@code ~1} stands for {@code /} and {@code ~0} for {@code ~} inside a token.
 */
public record JsonPointer(List<String> tokens) {

    private static final Pattern ARRAY_INDEX = Pattern.compile("0|[1-9][0-9]*");

    public static final JsonPointer ROOT = new JsonPointer(List.of());

    public JsonPointer {
        tokens = List.copyOf(tokens);
    }

    /** Parses a pointer; throws {@link MalformedPatchException} if it is not one. */
    public static JsonPointer parse(String text) {
        if (text.isEmpty()) {
            return ROOT;
        }
        if (text.charAt(0) != '/') {
            throw new MalformedPatchException("invalid JSON Pointer \"" + text + "\": it must be empty or start with '/'");
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : text.substring(1).split("/", -1)) {
            tokens.add(unescape(raw, text));
        }
        return new JsonPointer(tokens);
    }

    private static String unescape(String raw, String pointer) {
        if (raw.indexOf('~') < 0) {
            return raw;
        }
        StringBuilder token = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '~') {
                token.append(c);
                continue;
            }
            char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
            if (next != '0' && next != '1') {
                throw new MalformedPatchException(
                        "invalid JSON Pointer \"" + pointer + "\": '~' must be followed by '0' or '1'");
            }
            token.append(next == '0' ? '~' : '/');
            i++;
        }
        return token.toString();
    }

    /** Escapes one reference token. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    public boolean isRoot() {
        return tokens.isEmpty();
    }

    /** The pointer to the parent of what this pointer designates; must not be called on the root. */
    public JsonPointer parent() {
        return new JsonPointer(tokens.subList(0, tokens.size() - 1));
    }

    /** The last reference token; must not be called on the root. */
    public String last() {
        return tokens.get(tokens.size() - 1);
    }

    /** Whether this pointer designates a value strictly inside what {@code other} designates. */
    public boolean isStrictlyInside(JsonPointer other) {
        return tokens.size() > other.tokens.size() && tokens.subList(0, other.tokens.size()).equals(other.tokens);
    }

    /** The array index this token names, or -1 if it is not a valid index ({@code "-"} included). */
    public static int arrayIndex(String token) {
        if (!ARRAY_INDEX.matcher(token).matches() || token.length() > 9) {
            return -1;
        }
        return Integer.parseInt(token);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (String token : tokens) {
            text.append('/').append(escape(token));
        }
        return text.toString();
    }
}
