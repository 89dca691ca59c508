package dev.kumo.apiserver.openapi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** One clause of an HTTP Accept header; parameters other than {@code q} are ignored, as kube-apiserver does. */
record MediaRange(String type, String subtype, double quality) {
    private static final Comparator<MediaRange> PREFERRED_FIRST = Comparator
            .comparingDouble(MediaRange::quality).reversed()
            .thenComparing(range -> range.type().equals("*"))
            .thenComparing(range -> range.subtype().equals("*"));

    /** The acceptable clauses, most preferred first; an absent or blank header accepts anything. */
    static List<MediaRange> parseAccept(String header) {
        String value = header == null || header.isBlank() ? "*/*" : header;
        List<MediaRange> ranges = new ArrayList<>();
        for (String clause : value.split(",")) {
            MediaRange range = parseClause(clause);
            if (range != null && range.quality() > 0) {
                ranges.add(range);
            }
        }
        ranges.sort(PREFERRED_FIRST);
        return ranges;
    }

    boolean matches(String mediaType) {
        int slash = mediaType.indexOf('/');
        return (type.equals("*") || type.equals(mediaType.substring(0, slash)))
                && (subtype.equals("*") || subtype.equals(mediaType.substring(slash + 1)));
    }

    private static MediaRange parseClause(String clause) {
        String[] parts = clause.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        int slash = mediaType.indexOf('/');
        if (slash <= 0 || slash == mediaType.length() - 1) {
            return null;
        }
        double quality = 1;
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            if (parameter.length == 2 && parameter[0].trim().equals("q")) {
                quality = parseQuality(parameter[1].trim());
            }
        }
        return new MediaRange(mediaType.substring(0, slash), mediaType.substring(slash + 1), quality);
    }

    private static double parseQuality(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
