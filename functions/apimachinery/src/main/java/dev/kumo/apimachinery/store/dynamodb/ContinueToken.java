package dev.kumo.apimachinery.store.dynamodb;

import dev.kumo.apimachinery.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the next page of a list starts: the list's revision and the last key returned. Opaque to clients. */
record ContinueToken(long revision, String startAfter) {
    private static final Pattern FORMAT = Pattern.compile("\\{\"v\":1,\"rv\":(\\d+),\"start\":\"([^\"]*)\"}");

    String encode() {
        String json = "{\"v\":1,\"rv\":" + revision + ",\"start\":\"" + escape(startAfter) + "\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static ContinueToken decode(String token) {
        String json;
        try {
            json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new StoreException.InvalidContinue("not base64");
        }
        Matcher matcher = FORMAT.matcher(json);
        if (!matcher.matches()) {
            throw new StoreException.InvalidContinue("unrecognized content");
        }
        return new ContinueToken(Long.parseLong(matcher.group(1)), unescape(matcher.group(2)));
    }

    // Keys are namespace/name: DNS names, so only the quote and backslash need escaping in practice.
    private static String escape(String key) {
        return key.replace("%", "%25").replace("\"", "%22").replace("\\", "%5C");
    }

    private static String unescape(String key) {
        return key.replace("%5C", "\\").replace("%22", "\"").replace("%25", "%");
    }
}
