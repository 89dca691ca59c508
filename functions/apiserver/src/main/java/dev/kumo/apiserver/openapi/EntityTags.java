package dev.kumo.apiserver.openapi;

/** If-None-Match evaluation (RFC 9110 13.1.2): weak comparison against a list of entity tags, or {@code *}. */
final class EntityTags {
    private EntityTags() {
    }

    static boolean anyMatches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || opaque(tag).equals(opaque(etag))) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
